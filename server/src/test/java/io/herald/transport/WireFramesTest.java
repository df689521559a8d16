package io.herald.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WireFramesTest {

  @Test
  void smallFrameHasTwoByteHeader() {
    ByteBuf frame = WireFrames.text(ByteBufAllocator.DEFAULT, "{}".getBytes());
    try {
      assertThat(ByteBufUtil.getBytes(frame)).containsExactly(0x81, 2, '{', '}');
      assertThat(frame.isDirect()).isTrue();
    } finally {
      frame.release();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 125, 126, 127, 65535, 65536, 70000})
  void frameDecodesToTheSamePayload(int length) {
    byte[] payload = new byte[length];
    Arrays.fill(payload, (byte) 'a');
    ByteBuf frame = WireFrames.text(ByteBufAllocator.DEFAULT, payload);
    int expectedHeader = length <= 125 ? 2 : length <= 65535 ? 4 : 10;
    assertThat(frame.readableBytes()).isEqualTo(expectedHeader + length);
    EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameDecoder(false, false, 1 << 20));
    assertThat(client.writeInbound(frame)).isTrue();
    TextWebSocketFrame decoded = client.readInbound();
    try {
      assertThat(decoded.isFinalFragment()).isTrue();
      assertThat(ByteBufUtil.getBytes(decoded.content())).isEqualTo(payload);
    } finally {
      decoded.release();
    }
    assertThat(client.finishAndReleaseAll()).isFalse();
  }

  @Test
  void closeFrameCarriesCodeAndReason() {
    CloseWebSocketFrame close = decode(WireFrames.close(ByteBufAllocator.DEFAULT, 4001, "unauthorized: bad token"));
    try {
      assertThat(close.statusCode()).isEqualTo(4001);
      assertThat(close.reasonText()).isEqualTo("unauthorized: bad token");
    } finally {
      close.release();
    }
  }

  @Test
  void closeReasonIsCutToFitAControlFrame() {
    ByteBuf frame = WireFrames.close(ByteBufAllocator.DEFAULT, 1008, "é".repeat(200));
    assertThat(frame.readableBytes()).isLessThanOrEqualTo(2 + 125);
    CloseWebSocketFrame close = decode(frame);
    try {
      assertThat(close.statusCode()).isEqualTo(1008);
      assertThat(close.reasonText()).startsWith("éé").endsWith("…");
      assertThat(close.reasonText().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123);
    } finally {
      close.release();
    }
  }

  @Test
  void pongEchoesThePingPayloadAndLeavesItUnread() {
    ByteBuf ping = Unpooled.copiedBuffer("abc", StandardCharsets.UTF_8);
    PongWebSocketFrame pong = decode(WireFrames.pong(ByteBufAllocator.DEFAULT, ping));
    try {
      assertThat(pong.content().toString(StandardCharsets.UTF_8)).isEqualTo("abc");
      assertThat(ping.readableBytes()).isEqualTo(3);
    } finally {
      pong.release();
      ping.release();
    }
  }

  @Test
  void pingIsEmptyAndShared() {
    PingWebSocketFrame ping = decode(WireFrames.ping());
    try {
      assertThat(ping.content().readableBytes()).isZero();
    } finally {
      ping.release();
    }
    assertThat(WireFrames.ping().readableBytes()).isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "{}", "héllo", "日本語", "\uD83D\uDE00 emoji"})
  void validTextIsUtf8(String text) {
    assertThat(WireFrames.isUtf8(Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8)))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"c328", "ff", "c080", "eda080", "f4908080", "e282"})
  void invalidSequencesAreNotUtf8(String hex) {
    assertThat(WireFrames.isUtf8(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex)))).isFalse();
  }

  /** What a client reads: the frame through Netty's client-side decoder. */
  @SuppressWarnings("unchecked")
  private static <T extends WebSocketFrame> T decode(ByteBuf frame) {
    EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameDecoder(false, false, 1 << 20));
    assertThat(client.writeInbound(frame)).isTrue();
    T decoded = client.readInbound();
    assertThat(client.finishAndReleaseAll()).isFalse();
    return decoded;
  }
}
