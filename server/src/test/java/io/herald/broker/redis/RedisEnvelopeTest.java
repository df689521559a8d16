package io.herald.broker.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.broker.Route;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RedisEnvelopeTest {
  private static final byte[] FRAME = "{\"type\":\"t\",\"data\":\"ü:1:\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void everyRouteSurvivesTheRoundTrip() {
    List<Route> routes = List.of(new Route.ToUsers(List.of("1", "ünï:cödé", "")),
        new Route.ToChannel("orders:eu/1"), new Route.ToAll(Set.of("7", "x y")), new Route.ToAll(Set.of()));
    for (Route route : routes) {
      Envelope e = Envelope.decode(Envelope.encode("node-1", route, "t:ype", FRAME));
      assertThat(e.origin()).isEqualTo("node-1");
      assertThat(e.route()).isEqualTo(route);
      assertThat(e.type()).isEqualTo("t:ype");
      assertThat(e.payload()).isEqualTo(FRAME);
    }
  }

  @Test
  void disconnectCarriesNoTypeOrPayload() {
    Envelope e = Envelope.decode(Envelope.encode("a", new Route.Disconnect(List.of("9")), null, null));
    assertThat(e.route()).isEqualTo(new Route.Disconnect(List.of("9")));
    assertThat(e.type()).isNull();
    assertThat(e.payload()).isNull();
  }

  @Test
  void layoutIsTheOneRouteLuaWrites() {
    byte[] bytes = Envelope.encode("a", new Route.ToUsers(List.of("42")), "chat", "{}".getBytes(StandardCharsets.UTF_8));
    assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("H11:a1:U4:chat1:12:42{}");
  }

  @Test
  void malformedInputIsRejectedWithAReason() {
    assertThatThrownBy(() -> Envelope.decode("hello".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("H1");
    assertThatThrownBy(() -> Envelope.decode("H15:ab".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
    assertThatThrownBy(() -> Envelope.decode("H11:a1:Q0:1:0".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kind");
  }
}
