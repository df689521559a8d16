package io.herald.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.testing.TestServer;
import io.herald.testing.Tokens;
import io.herald.testing.WsRecorder;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** SPEC §7: Redis down during a reconnect: live delivery resumes and the answer is recovered: false. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ClusterRecoveryOutageTest {
  private TestCluster cluster;
  private TestServer a;

  @BeforeEach
  void start() {
    cluster = TestCluster.start(1);
    a = cluster.node(0);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private WsRecorder connect(String user, String extra) {
    WsRecorder ws = a.connectRaw("user_id=" + user + "&token=" + TestServer.enc(Tokens.hs256(user)) + extra);
    ws.connected();
    return ws;
  }

  @Test
  void withRedisDownTheReconnectIsToldRecoveredFalseAndLiveMessagesStillArrive() {
    JsonNode user;
    try (WsRecorder ws = connect("81", "&recover=1")) {
      user = ws.next("recovery").at("/data/streams/user");
      assertThat(user.get("epoch").asText()).isNotBlank();
    }
    cluster.redis().stop();
    try (WsRecorder ws = connect("81", "&recover=1&user_epoch=" + user.get("epoch").asText() + "&user_offset=0")) {
      JsonNode data = ws.next("recovery").get("data");
      assertThat(data.get("recovered").asBoolean()).isFalse();
      assertThat(data.at("/streams/user/epoch").isNull()).isTrue();
      TestServer.Answer push = a.post("/admin/websocket/send-to-user", Map.of("user_id", 81, "type", "live", "data", 1));
      assertThat(push.status()).as("the other nodes could not be reached").isEqualTo(503);
      JsonNode live = ws.next("live");
      assertThat(live.has("offset")).as("not kept, so not numbered").isFalse();
      ws.assertExhausted();
    }
  }
}
