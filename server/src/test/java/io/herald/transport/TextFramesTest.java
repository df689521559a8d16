package io.herald.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TextFramesTest {

  @Test
  void smallFrameHasTwoByteHeader() {
    ByteBuf frame = TextFrames.encode(ByteBufAllocator.DEFAULT, "{}".getBytes());
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
    ByteBuf frame = TextFrames.encode(ByteBufAllocator.DEFAULT, payload);
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
}
