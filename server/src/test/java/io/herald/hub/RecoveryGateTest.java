package io.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.history.StreamId;
import io.herald.protocol.Message;
import org.junit.jupiter.api.Test;

/** The gate a recovering session puts in front of one stream. */
class RecoveryGateTest {
  private static Message m(long offset) {
    return Message.numbered("t", new byte[] {'{', '}'}, StreamId.channel("c"), offset);
  }

  @Test
  void holdsUpToItsBoundThenDropsAndRemembersTheNewestOffset() {
    Recovery.Gate g = new Recovery.Gate(2);
    assertThat(g.admit(m(5))).isFalse();
    assertThat(g.admit(m(6))).isFalse();
    assertThat(g.messages).extracting(Message::offset).containsExactly(5L, 6L);
    assertThat(g.admit(m(7))).isFalse();
    assertThat(g.messages).isEmpty();
    assertThat(g.dropped).isEqualTo(7);
    assertThat(g.admit(m(8))).isFalse();
    assertThat(g.dropped).isEqualTo(8);
  }

  @Test
  void onceOpenItDropsWhatWasAlreadySentAndLetsNewerAndUnnumberedThrough() {
    Recovery.Gate g = new Recovery.Gate(10);
    g.open(10);
    assertThat(g.admit(m(9))).isFalse();
    assertThat(g.admit(m(10))).isFalse();
    assertThat(g.admit(m(11))).isTrue();
    assertThat(g.admit(Message.of("plain", 1))).isTrue();
    assertThat(g.floor()).isEqualTo(10);
  }
}
