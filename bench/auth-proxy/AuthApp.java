import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The application side of an auth proxy storm (bench/auth-proxy/storm.sh): a JDK HttpServer on
 * loopback that accepts every token for the user_id Herald passes along, and counts its calls per
 * token. GET /stats answers {"calls","distinct_tokens","max_calls_per_token"}. Run with
 * `java AuthApp.java PORT` (JDK only, no build).
 */
public final class AuthApp {
  private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]*)\"");
  private static final Pattern USER = Pattern.compile("\"user_id\"\\s*:\\s*(\\d+|\"[^\"]*\")");

  public static void main(String[] args) throws IOException {
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(),
        Integer.parseInt(args[0])), 1024);
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.createContext("/connect", ex -> {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Matcher t = TOKEN.matcher(body);
      Matcher u = USER.matcher(body);
      String answer;
      int status = 200;
      if (t.find() && u.find()) {
        calls.computeIfAbsent(t.group(1), k -> new AtomicInteger()).incrementAndGet();
        answer = "{\"user_id\":" + u.group(1) + "}";
      } else {
        status = 401;
        answer = "{}";
      }
      byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status, bytes.length);
      ex.getResponseBody().write(bytes);
      ex.close();
    });
    server.createContext("/stats", ex -> {
      int total = calls.values().stream().mapToInt(AtomicInteger::get).sum();
      int max = calls.values().stream().mapToInt(AtomicInteger::get).max().orElse(0);
      byte[] bytes = ("{\"calls\":" + total + ",\"distinct_tokens\":" + calls.size() + ",\"max_calls_per_token\":" + max
          + "}").getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, bytes.length);
      ex.getResponseBody().write(bytes);
      ex.close();
    });
    server.start();
    System.out.println("auth app listening on http://127.0.0.1:" + server.getAddress().getPort());
  }
}
