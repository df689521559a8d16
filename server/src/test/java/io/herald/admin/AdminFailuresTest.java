package io.herald.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.broker.BrokerUnavailableException;
import io.herald.hub.Delivery;
import io.herald.hub.PushService;
import io.herald.hub.UserId;
import io.herald.metrics.Metrics;
import io.herald.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the admin API answers when the work behind an endpoint fails: by the failure's type, always
 * with an envelope, never with internals.
 */
class AdminFailuresTest {
  static final String KEY = "k";
  final Metrics metrics = new Metrics();

  @AfterEach
  void close() {
    metrics.close();
  }

  /** A push service whose reads answer with {@code users} and whose writes fail with {@code failure}. */
  record Service(List<UserId> users, RuntimeException failure) implements PushService {
    private <T> CompletionStage<T> fail() {
      return CompletableFuture.failedFuture(failure);
    }

    public CompletionStage<Delivery> sendToUser(UserId u, String t, Object d) {
      return fail();
    }

    public CompletionStage<Delivery> sendToUsers(Collection<UserId> u, String t, Object d) {
      return fail();
    }

    public CompletionStage<Delivery> broadcast(String t, Object d, Collection<UserId> x) {
      return fail();
    }

    public CompletionStage<Delivery> sendToChannel(String c, String t, Object d) {
      return fail();
    }

    public CompletionStage<Long> getOnlineUserCount() {
      return failure != null ? fail() : CompletableFuture.completedFuture(1L);
    }

    public CompletionStage<Boolean> isUserOnline(UserId u) {
      return fail();
    }

    public CompletionStage<List<UserId>> getOnlineUsers() {
      return CompletableFuture.completedFuture(users);
    }

    public CompletionStage<Delivery> sendSystemNotification(Collection<UserId> u, String a, String b, String c, Object d) {
      return fail();
    }

    public CompletionStage<Delivery> pushDataUpdate(Collection<UserId> u, String a, String b, Object d) {
      return fail();
    }

    public CompletionStage<Delivery> pushDataUpdateToChannel(String c, String a, String b, Object d) {
      return fail();
    }

    public CompletionStage<Integer> disconnectUser(UserId u) {
      return fail();
    }
  }

  private AdminApi.Response call(PushService service, String method, String endpoint, String body) throws Exception {
    AdminApi api = new AdminApi(service, () -> KEY, 100, metrics);
    AdminApi.Request request = new AdminApi.Request(method, AdminApi.PREFIX + endpoint, "Bearer " + KEY, null,
        body == null ? null : body.getBytes(StandardCharsets.UTF_8), "/127.0.0.1:1");
    return api.handle(request).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static JsonNode envelope(AdminApi.Response r) throws Exception {
    return Json.MAPPER.readTree(r.body());
  }

  @Test
  void aResultThatCannotBeRenderedIsA500EnvelopeNotAFailedAnswer() throws Exception {
    List<UserId> unrenderable = new AbstractList<>() {
      @Override
      public UserId get(int index) {
        throw new IllegalStateException("bug in a result");
      }

      @Override
      public int size() {
        return 1;
      }
    };
    AdminApi.Response r = call(new Service(unrenderable, null), "GET", "online-users", null);
    assertThat(r.status()).isEqualTo(500);
    assertThat(envelope(r).get("code").asInt()).isEqualTo(500);
    assertThat(envelope(r).get("message").asText()).isEqualTo("internal error");
  }

  @Test
  void aBrokerOutageOnAReadIs503SayingWhatCouldNotBeRead() throws Exception {
    AdminApi.Response r = call(new Service(List.of(), new BrokerUnavailableException("Redis at x is unreachable")),
        "GET", "online-count", null);
    assertThat(r.status()).isEqualTo(503);
    assertThat(envelope(r).get("message").asText()).contains("unavailable").doesNotContain("delivered");
  }

  @Test
  void aBrokerOutageOnASendIs503SayingOtherNodesMissedIt() throws Exception {
    AdminApi.Response r = call(new Service(List.of(), new BrokerUnavailableException("Redis at x is unreachable")),
        "POST", "send-to-user", "{\"user_id\":1,\"type\":\"t\",\"data\":{}}");
    assertThat(r.status()).isEqualTo(503);
    assertThat(envelope(r).get("message").asText()).contains("not delivered to other nodes");
  }

  @Test
  void anIllegalStateIsABugAnswered500WithoutInternals() throws Exception {
    AdminApi.Response r = call(new Service(List.of(), new IllegalStateException("secret internals")),
        "GET", "online-count", null);
    assertThat(r.status()).isEqualTo(500);
    assertThat(envelope(r).get("message").asText()).isEqualTo("internal error");
  }
}
