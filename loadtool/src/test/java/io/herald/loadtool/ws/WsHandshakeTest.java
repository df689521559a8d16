package io.herald.loadtool.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class WsHandshakeTest {
  @Test
  void acceptKeyMatchesRfcExample() {
    assertThat(WsHandshake.expectedAccept("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  }

  @Test
  void requestCarriesUpgradeHeaders() {
    String request = WsHandshake.request("127.0.0.1:5200", "/ws?user_id=1&token=t", "k");
    assertThat(request).startsWith("GET /ws?user_id=1&token=t HTTP/1.1\r\n")
        .contains("Host: 127.0.0.1:5200\r\n", "Upgrade: websocket\r\n", "Connection: Upgrade\r\n",
            "Sec-WebSocket-Key: k\r\n", "Sec-WebSocket-Version: 13\r\n")
        .endsWith("\r\n\r\n");
  }

  @Test
  void newKeyIsSixteenBytesInBase64() {
    assertThat(WsHandshake.newKey(1, 2)).hasSize(24).endsWith("==");
  }

  @Test
  void partialResponseConsumesNothing() {
    ByteBuf in = Unpooled.copiedBuffer("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n", StandardCharsets.US_ASCII);
    assertThat(WsHandshake.readResponse(in)).isNull();
    assertThat(in.readerIndex()).isZero();
    in.release();
  }

  @Test
  void responseHeadIsConsumedAndEarlyFrameBytesStay() {
    ByteBuf in = Unpooled.copiedBuffer("HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\n"
        + "sec-websocket-accept:  abc= \r\n\r\n", StandardCharsets.US_ASCII);
    in.writeBytes(new byte[] {(byte) 0x81, 0x00});
    WsHandshake.Response response = WsHandshake.readResponse(in);
    assertThat(response.status()).isEqualTo(101);
    assertThat(response.accept()).isEqualTo("abc=");
    assertThat(in.readableBytes()).isEqualTo(2);
    in.release();
  }
}
