package io.herald.testing;

import io.herald.broker.redis.RedisSettings;
import io.herald.history.redis.StoreConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The Redis store connections a test opens (one per store, as each node has its own), closed
 * together after each test (register it as an instance field with {@code @RegisterExtension}).
 * {@code url} is a single Redis or a Redis Cluster's seeds.
 */
public final class StoreConnections implements AutoCloseable, AfterEachCallback {
  private final List<StoreConnection> open = new ArrayList<>();

  public StoreConnection open(String url) {
    StoreConnection c = new StoreConnection(
        new RedisSettings(url, "test", Duration.ofSeconds(3), Duration.ofSeconds(2), "herald"));
    open.add(c);
    return c;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    close();
  }

  @Override
  public void close() {
    open.forEach(StoreConnection::close);
    open.clear();
  }
}
