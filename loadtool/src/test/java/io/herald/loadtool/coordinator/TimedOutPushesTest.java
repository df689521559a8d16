package io.herald.loadtool.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TimedOutPushesTest {
  @Test
  void aPushThatReachedAnyClientIsDeliveredAndExpectedAtAllItsSubscribers() {
    List<Pusher.PushId> pushes = List.of(new Pusher.PushId(0, 5), new Pusher.PushId(1, 5), new Pusher.PushId(1, 6));
    TimedOutPushes matched = TimedOutPushes.match(pushes, new long[] {2, 0, 1}, slot -> slot == 0 ? 10 : 20);

    assertThat(matched.count()).isEqualTo(3);
    assertThat(matched.delivered()).isEqualTo(2);
    assertThat(matched.undelivered()).isEqualTo(1);
    // the receivers' shortfall (8 of slot 0, 19 of slot 1) is lost, like an OK push's
    assertThat(matched.expectedDeliveries()).isEqualTo(30);
  }
}
