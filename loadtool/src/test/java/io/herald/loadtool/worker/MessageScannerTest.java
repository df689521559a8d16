package io.herald.loadtool.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class MessageScannerTest {
  private static ByteBuf text(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
  }

  @Test
  void pushedJsonMessage() {
    ByteBuf buf = text("{\"type\":\"bench\",\"channel\":\"bench-0\",\"data\":{\"hb_seq\":42,\"hb_ts\":1700000000123456,\"pad\":\"xx\"}}");
    int at = MessageScanner.seqIndex(buf);
    assertThat(at).isPositive();
    assertThat(MessageScanner.seqAt(buf, at)).isEqualTo(42);
    assertThat(MessageScanner.timestamp(buf, at)).isEqualTo(1_700_000_000_123_456L);
    buf.release();
  }

  @Test
  void pusherFrameWithEscapedDataString() {
    ByteBuf buf = text("{\"event\":\"bench\",\"channel\":\"bench-0\",\"data\":\"{\\\"hb_seq\\\":42,\\\"hb_ts\\\":1700000000123456}\"}");
    int at = MessageScanner.seqIndex(buf);
    assertThat(MessageScanner.seqAt(buf, at)).isEqualTo(42);
    assertThat(MessageScanner.timestamp(buf, at)).isEqualTo(1_700_000_000_123_456L);
    buf.release();
  }

  @Test
  void chatContentString() {
    ByteBuf buf = text("{\"type\":\"chat\",\"data\":{\"from_user_id\":1,\"to_user_id\":2,"
        + "\"content\":\"hb_seq=7 hb_ts=1700000000000001 xxx\",\"timestamp\":1700000000}}");
    int at = MessageScanner.seqIndex(buf);
    assertThat(MessageScanner.seqAt(buf, at)).isEqualTo(7);
    assertThat(MessageScanner.timestamp(buf, at)).isEqualTo(1_700_000_000_000_001L);
    buf.release();
  }

  @Test
  void timestampBeforeSequenceIsFoundToo() {
    ByteBuf buf = text("{\"data\":{\"hb_ts\":99,\"hb_seq\":3}}");
    int at = MessageScanner.seqIndex(buf);
    assertThat(MessageScanner.timestamp(buf, at)).isEqualTo(99);
    buf.release();
  }

  @Test
  void controlFramesAreNotBenchmarkMessages() {
    ByteBuf buf = text("{\"type\":\"connected\",\"data\":{\"user_id\":1,\"connection_id\":\"c\",\"heartbeat_interval\":30}}");
    assertThat(MessageScanner.seqIndex(buf)).isEqualTo(-1);
    buf.release();
  }

  @Test
  void garbageAfterTheMarkerIsMalformed() {
    ByteBuf buf = text("{\"hb_seq\":\"abc\"}");
    assertThat(MessageScanner.seqAt(buf, MessageScanner.seqIndex(buf))).isEqualTo(-1);
    buf.release();
  }
}
