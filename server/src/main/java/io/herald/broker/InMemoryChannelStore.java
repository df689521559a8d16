package io.herald.broker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** {@link ChannelStore} of a single node: concurrent maps, each change atomic in one compute. */
public final class InMemoryChannelStore implements ChannelStore {
  private final Clock clock;
  private final ConcurrentHashMap<String, Long> subscribers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Map<String, Member>> members = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Last> last = new ConcurrentHashMap<>();

  private record Member(long connections, String info) {
  }

  private record Last(String frame, Instant expires) {
  }

  public InMemoryChannelStore(Clock clock) {
    this.clock = clock;
  }

  @Override
  public CompletionStage<Long> addSubscriber(String channel) {
    return done(subscribers.merge(channel, 1L, Long::sum));
  }

  @Override
  public CompletionStage<Long> removeSubscriber(String channel) {
    Long left = subscribers.computeIfPresent(channel, (k, n) -> n <= 1 ? null : n - 1);
    return done(left == null ? 0L : left);
  }

  @Override
  public CompletionStage<Map<String, Long>> occupied(String prefix) {
    Map<String, Long> out = new LinkedHashMap<>();
    subscribers.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        out.put(k, v);
      }
    });
    return done(out);
  }

  @Override
  public CompletionStage<Long> subscribers(String channel) {
    return done(subscribers.getOrDefault(channel, 0L));
  }

  @Override
  public CompletionStage<Boolean> addMember(String channel, String userId, String info) {
    boolean[] first = {false};
    members.compute(channel, (k, users) -> {
      Map<String, Member> next = users == null ? new HashMap<>() : users;
      Member m = next.get(userId);
      first[0] = m == null;
      next.put(userId, m == null ? new Member(1, info) : new Member(m.connections() + 1, m.info()));
      return next;
    });
    return done(first[0]);
  }

  @Override
  public CompletionStage<Boolean> removeMember(String channel, String userId) {
    boolean[] last = {false};
    members.computeIfPresent(channel, (k, users) -> {
      Member m = users.get(userId);
      if (m != null) {
        if (m.connections() <= 1) {
          users.remove(userId);
          last[0] = true;
        } else {
          users.put(userId, new Member(m.connections() - 1, m.info()));
        }
      }
      return users.isEmpty() ? null : users;
    });
    return done(last[0]);
  }

  @Override
  public CompletionStage<Map<String, String>> members(String channel) {
    Map<String, String> out = new LinkedHashMap<>();
    members.computeIfPresent(channel, (k, users) -> {
      users.forEach((id, m) -> out.put(id, m.info()));
      return users;
    });
    return done(out);
  }

  @Override
  public CompletionStage<Void> putLast(String channel, String frame, Duration ttl) {
    last.put(channel, new Last(frame, clock.instant().plus(ttl)));
    return done(null);
  }

  @Override
  public CompletionStage<Optional<String>> last(String channel) {
    Last l = last.get(channel);
    if (l == null || !l.expires().isAfter(clock.instant())) {
      if (l != null) {
        last.remove(channel, l);
      }
      return done(Optional.empty());
    }
    return done(Optional.of(l.frame()));
  }

  private static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }
}
