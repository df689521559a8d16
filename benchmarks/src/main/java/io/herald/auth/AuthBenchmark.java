package io.herald.auth;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a connection's credentials check costs on the upgrade path: an HS256 JWT verified by
 * {@link TokenAuthenticator}, against an answer of the auth proxy already in its cache (the
 * application is a JDK HttpServer on loopback, asked once during setup). The bar: the
 * cached proxy answer costs no more than the JWT check.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AuthBenchmark {
  static final String SECRET = "benchmark-secret-0123456789-abcdefghijklmnop";

  HttpServer app;
  ExecutorService executor;
  TokenAuthenticator jwt;
  ProxyAuthenticator proxy;
  String token;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    app = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    app.createContext("/connect", ex -> {
      byte[] body = "{\"user_id\":42,\"channels\":[\"private-team-*\"]}".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    app.start();
    executor = Executors.newFixedThreadPool(2);
    jwt = new TokenAuthenticator(JwtSettings.hmac(SECRET.getBytes(StandardCharsets.UTF_8)), Clock.systemUTC(), executor);
    URI url = URI.create("http://127.0.0.1:" + app.getAddress().getPort() + "/connect");
    proxy = new ProxyAuthenticator(new ProxySettings(url, null, Duration.ofSeconds(5), Duration.ofHours(1), 10_000,
        65_536, null), Clock.systemUTC(), executor);
    token = hs256("{\"sub\":\"42\",\"exp\":" + (System.currentTimeMillis() / 1000 + 86_400)
        + ",\"channels\":[\"private-team-*\"]}");
    proxy.authenticate("42", token, "127.0.0.1:1").toCompletableFuture().join(); // fills the cache
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    app.stop(0);
    executor.shutdownNow();
  }

  @Benchmark
  public Principal jwtCheck() {
    return jwt.authenticate("42", token).toCompletableFuture().join();
  }

  @Benchmark
  public Principal cachedProxyAnswer() {
    return proxy.authenticate("42", token, "127.0.0.1:1").toCompletableFuture().join();
  }

  static String hs256(String claims) throws Exception {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String input = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return input + "." + b64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
  }
}
