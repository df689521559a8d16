package io.herald.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.herald.broker.InMemoryBroker;
import io.herald.hub.Hub;
import io.herald.hub.HubSettings;
import io.herald.metrics.Metrics;
import io.herald.protocol.Json;
import io.herald.testing.FuzzChecks;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;

/**
 * Admin request bodies on every POST endpoint, authorized: the answer is always an envelope whose
 * code is the status, and the status says the body was refused (400, 422) or taken (200), never a
 * server error. Regression inputs in src/test/resources/io/herald/admin/AdminBodyFuzzTestInputs.
 */
class AdminBodyFuzzTest {
  private static final String KEY = "fuzz-key";
  private static final List<String> POSTS = List.of("check-online", "send-to-user", "send-to-users", "broadcast",
      "send-to-channel", "send-notification", "send-notification-to-users", "push-data-update",
      "push-data-update-channel", "disconnect-user");

  private final AdminApi api;

  AdminBodyFuzzTest() {
    Hub hub = new Hub(HubSettings.defaults(), new InMemoryBroker(), Clock.systemUTC());
    hub.start();
    api = new AdminApi(hub, () -> KEY, 100, new Metrics());
  }

  @FuzzTest
  void adminBody(FuzzedDataProvider data) throws Exception {
    String endpoint = POSTS.get(data.consumeInt(0, POSTS.size() - 1));
    byte[] body = data.consumeRemainingAsBytes();
    AdminApi.Response r = api.handle(new AdminApi.Request("POST", AdminApi.PREFIX + endpoint,
        "Bearer " + KEY, null, body, "127.0.0.1:1")).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(r.status()).as("status for %s", new String(body, java.nio.charset.StandardCharsets.UTF_8))
        .isIn(200, 400, 422);
    JsonNode envelope = Json.MAPPER.readTree(r.body());
    assertThat(envelope.get("code").asInt()).isEqualTo(r.status());
    if (r.status() != 200) {
      FuzzChecks.assertPlainMessage(envelope.get("message").asText(), new String(body, java.nio.charset.StandardCharsets.UTF_8));
    }
  }
}
