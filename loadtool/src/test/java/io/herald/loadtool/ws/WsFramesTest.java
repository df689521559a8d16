package io.herald.loadtool.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(10)
class WsFramesTest {
  @Test
  void maskedTextFrameHasExactBytes() {
    // RFC 6455 §5.7: a masked "Hello" with mask 37 fa 21 3d.
    ByteBuf out = Unpooled.buffer();
    WsFrames.writeMasked(out, WsFrames.OP_TEXT, "Hello".getBytes(StandardCharsets.US_ASCII), 0x37fa213d);
    assertThat(ByteBufUtil.hexDump(out)).isEqualTo("818537fa213d7f9f4d5158");
    out.release();
  }

  @Test
  void unmaskedServerFrameDecodes() {
    // RFC 6455 §5.7: an unmasked "Hello".
    ByteBuf in = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("810548656c6c6f"));
    WsFrames.Frame frame = WsFrames.read(in, 1024);
    assertThat(frame.fin()).isTrue();
    assertThat(frame.opcode()).isEqualTo(WsFrames.OP_TEXT);
    assertThat(frame.payload().toString(StandardCharsets.US_ASCII)).isEqualTo("Hello");
    assertThat(in.isReadable()).isFalse();
    in.release();
  }

  @ParameterizedTest
  @CsvSource({"0, 6", "125, 6", "126, 8", "65535, 8", "65536, 14"})
  void maskedFrameRoundTripsWithTheRightHeaderSize(int length, int headerBytes) {
    byte[] payload = new byte[length];
    for (int i = 0; i < length; i++) {
      payload[i] = (byte) (i * 31);
    }
    ByteBuf buf = Unpooled.buffer();
    WsFrames.writeMasked(buf, WsFrames.OP_BINARY, payload, 0xa1b2c3d4);
    assertThat(buf.readableBytes()).isEqualTo(headerBytes + length);
    assertThat(buf.getByte(1) & 0x80).as("mask bit").isEqualTo(0x80);

    WsFrames.Frame frame = WsFrames.read(buf, 1 << 20);
    assertThat(frame.opcode()).isEqualTo(WsFrames.OP_BINARY);
    assertThat(ByteBufUtil.getBytes(frame.payload())).isEqualTo(payload);
    buf.release();
  }

  @ParameterizedTest
  @CsvSource({"10, 2", "300, 4", "70000, 10"})
  void unmaskedFrameHasTheRightHeaderSize(int length, int headerBytes) {
    ByteBuf buf = Unpooled.buffer();
    WsFrames.writeUnmasked(buf, WsFrames.OP_TEXT, new byte[length]);
    assertThat(buf.readableBytes()).isEqualTo(headerBytes + length);
    buf.release();
  }

  @Test
  void incompleteFrameConsumesNothing() {
    ByteBuf whole = Unpooled.buffer();
    WsFrames.writeUnmasked(whole, WsFrames.OP_TEXT, new byte[300]);
    byte[] bytes = ByteBufUtil.getBytes(whole);
    whole.release();
    for (int cut : new int[] {0, 1, 3, 4, 303}) {
      ByteBuf part = Unpooled.wrappedBuffer(Arrays.copyOf(bytes, cut));
      assertThat(WsFrames.read(part, 1024)).as("cut at " + cut).isNull();
      assertThat(part.readerIndex()).isZero();
      part.release();
    }
  }

  @Test
  void twoFramesInOneBufferDecodeInOrder() {
    ByteBuf buf = Unpooled.buffer();
    WsFrames.writeUnmasked(buf, WsFrames.OP_TEXT, "a".getBytes(StandardCharsets.US_ASCII));
    WsFrames.writeUnmasked(buf, WsFrames.OP_PING, "b".getBytes(StandardCharsets.US_ASCII));
    assertThat(WsFrames.read(buf, 10).payload().toString(StandardCharsets.US_ASCII)).isEqualTo("a");
    WsFrames.Frame ping = WsFrames.read(buf, 10);
    assertThat(ping.opcode()).isEqualTo(WsFrames.OP_PING);
    assertThat(ping.isControl()).isTrue();
    assertThat(WsFrames.read(buf, 10)).isNull();
    buf.release();
  }

  @Test
  void oversizedFrameIsRejected() {
    ByteBuf buf = Unpooled.buffer();
    WsFrames.writeUnmasked(buf, WsFrames.OP_TEXT, new byte[2000]);
    assertThatThrownBy(() -> WsFrames.read(buf, 1024)).hasMessageContaining("2000 bytes exceeds 1024");
    buf.release();
  }

  @Test
  void reservedBitsAreRejected() {
    ByteBuf buf = Unpooled.wrappedBuffer(new byte[] {(byte) 0xC1, 0x00});
    assertThatThrownBy(() -> WsFrames.read(buf, 1024)).hasMessageContaining("reserved bits");
    buf.release();
  }
}
