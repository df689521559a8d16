package io.herald.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A bare WebSocket client over a plain socket, for what the JDK client hides: it never answers
 * pings by itself, can stop reading, and sends exactly the frames a test builds.
 */
public final class RawWs implements AutoCloseable {
  public static final int TEXT = 1;
  public static final int BINARY = 2;
  public static final int CLOSE = 8;
  public static final int PING = 9;
  public static final int PONG = 10;

  /** One received frame. */
  public record Frame(int opcode, byte[] payload) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** The close code of a close frame. */
    public int closeCode() {
      return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
    }

    /** The reason of a close frame, or the text of a text frame. */
    public String reason() {
      return payload.length < 2 ? "" : new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final SecureRandom random = new SecureRandom();

  private RawWs(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  public static RawWs connect(int port, String pathAndQuery) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(5000);
    RawWs ws = new RawWs(s);
    byte[] key = new byte[16];
    ws.random.nextBytes(key);
    String request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key)
        + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    ws.out.write(request.getBytes(StandardCharsets.US_ASCII));
    ws.out.flush();
    String head = ws.readHead();
    if (!head.startsWith("HTTP/1.1 101")) {
      throw new IOException("upgrade refused: " + head);
    }
    return ws;
  }

  private String readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed during handshake");
      }
      head.write(b);
      matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
          ? matched + 1 : 0;
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  public Socket socket() {
    return socket;
  }

  /** The next frame, waiting up to the socket timeout (5 s by default). */
  public Frame read() throws IOException {
    int b0 = in.readUnsignedByte();
    int b1 = in.readUnsignedByte();
    long len = b1 & 0x7F;
    if (len == 126) {
      len = in.readUnsignedShort();
    } else if (len == 127) {
      len = in.readLong();
    }
    byte[] payload = new byte[(int) len];
    in.readFully(payload);
    return new Frame(b0 & 0x0F, payload);
  }

  /** The next frame that is not a ping. */
  public Frame readSkippingPings() throws IOException {
    Frame f = read();
    while (f.opcode() == PING) {
      f = read();
    }
    return f;
  }

  public void sendText(String text) throws IOException {
    send(TEXT, text.getBytes(StandardCharsets.UTF_8), true);
  }

  public void send(int opcode, byte[] payload, boolean fin) throws IOException {
    out.write(frame(opcode, payload, fin));
    out.flush();
  }

  /** The bytes of one masked client frame. */
  public static byte[] frame(int opcode, byte[] payload, boolean fin) {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write((fin ? 0x80 : 0) | opcode);
    if (payload.length <= 125) {
      frame.write(0x80 | payload.length);
    } else if (payload.length <= 0xFFFF) {
      frame.write(0x80 | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length & 0xFF);
    } else {
      frame.write(0x80 | 127);
      for (int i = 7; i >= 0; i--) {
        frame.write((int) ((long) payload.length >>> (8 * i)) & 0xFF);
      }
    }
    byte[] mask = new byte[4];
    new SecureRandom().nextBytes(mask);
    frame.write(mask, 0, 4);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i & 3]);
    }
    return frame.toByteArray();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
