package io.herald.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests the JDK client will not send as written (an
 * {@code Expect: 100-continue} whose body never follows, a declared length that is a lie, a
 * 100 KB URL) and for reading exactly what the server answered.
 */
public final class RawHttp implements AutoCloseable {
  /** One response: status, headers (lower-case names) and body as text. */
  public record Response(int status, Map<String, String> headers, String body) {
  }

  private final Socket socket;
  private final InputStream in;

  private RawHttp(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
  }

  public static RawHttp connect(int port) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(10_000);
    return new RawHttp(s);
  }

  /** Writes raw bytes (a request head, part of a body). */
  public RawHttp write(String text) throws IOException {
    return write(text.getBytes(StandardCharsets.UTF_8));
  }

  public RawHttp write(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
    return this;
  }

  /** Reads one response: the head, then the body by Content-Length (or to the end of the stream). */
  public Response read() throws IOException {
    String head = readHead();
    String[] lines = head.split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    String length = headers.get("content-length");
    if (length != null) {
      byte[] b = in.readNBytes(Integer.parseInt(length));
      body.write(b);
    } else if (status != 100 && status != 101) {
      in.transferTo(body);
    }
    return new Response(status, headers, body.toString(StandardCharsets.UTF_8));
  }

  private String readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed before a response head; read so far: "
            + head.toString(StandardCharsets.UTF_8));
      }
      head.write(b);
      matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
          ? matched + 1 : 0;
    }
    return head.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing a test socket
    }
  }
}
