package io.herald.loadtool.ws;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;

/** The HTTP/1.1 upgrade exchange of RFC 6455 §4, client side. */
public final class WsHandshake {
  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  private static final int MAX_RESPONSE_HEAD_BYTES = 8 * 1024;

  private WsHandshake() {
  }

  /** The server's answer: status code and the Sec-WebSocket-Accept value (null when absent). */
  public record Response(int status, String accept) {
  }

  public static String request(String hostHeader, String pathAndQuery, String key) {
    return "GET " + pathAndQuery + " HTTP/1.1\r\n"
        + "Host: " + hostHeader + "\r\n"
        + "Upgrade: websocket\r\n"
        + "Connection: Upgrade\r\n"
        + "Sec-WebSocket-Key: " + key + "\r\n"
        + "Sec-WebSocket-Version: 13\r\n"
        + "\r\n";
  }

  public static String newKey(long random1, long random2) {
    byte[] nonce = new byte[16];
    for (int i = 0; i < 8; i++) {
      nonce[i] = (byte) (random1 >>> (8 * i));
      nonce[8 + i] = (byte) (random2 >>> (8 * i));
    }
    return Base64.getEncoder().encodeToString(nonce);
  }

  public static String expectedAccept(String key) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      byte[] digest = sha1.digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is not available", e);
    }
  }

  /**
   * Consumes the response head (status line and headers) from {@code in}, or returns null and
   * consumes nothing when it is not complete yet. Bytes after the head (early frames) stay in {@code in}.
   */
  public static Response readResponse(ByteBuf in) {
    int end = indexOfHeadEnd(in);
    if (end < 0) {
      if (in.readableBytes() > MAX_RESPONSE_HEAD_BYTES) {
        throw new IllegalStateException("handshake response head exceeds " + MAX_RESPONSE_HEAD_BYTES + " bytes");
      }
      return null;
    }
    String head = in.toString(in.readerIndex(), end - in.readerIndex(), StandardCharsets.ISO_8859_1);
    in.readerIndex(end + 4);
    String[] lines = head.split("\r\n");
    String[] statusLine = lines[0].split(" ", 3);
    if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
      throw new IllegalStateException("not an HTTP response: " + lines[0]);
    }
    int status = Integer.parseInt(statusLine[1]);
    String accept = null;
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0 && lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("sec-websocket-accept")) {
        accept = lines[i].substring(colon + 1).trim();
      }
    }
    return new Response(status, accept);
  }

  private static int indexOfHeadEnd(ByteBuf in) {
    int from = in.readerIndex();
    int to = in.writerIndex();
    while (from < to) {
      int cr = in.forEachByte(from, to - from, ByteProcessor.FIND_CR);
      if (cr < 0 || cr + 3 >= to) {
        return -1;
      }
      if (in.getByte(cr + 1) == '\n' && in.getByte(cr + 2) == '\r' && in.getByte(cr + 3) == '\n') {
        return cr;
      }
      from = cr + 1;
    }
    return -1;
  }
}
