package io.herald.testing;

import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Redis (or Redis Cluster) for one test class: started before its first test, emptied
 * before each test, stopped after the last. Register it as a static field:
 * {@code @RegisterExtension static final RedisPerClass<RedisProcess> redis = RedisPerClass.standalone();}
 */
public final class RedisPerClass<R extends AutoCloseable>
    implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
  private final Supplier<R> start;
  private final Consumer<R> empty;
  private R redis;

  private RedisPerClass(Supplier<R> start, Consumer<R> empty) {
    this.start = start;
    this.empty = empty;
  }

  /** One standalone {@code redis-server}. */
  public static RedisPerClass<RedisProcess> standalone() {
    return new RedisPerClass<>(RedisProcess::start, r -> r.call(c -> c.flushall()));
  }

  /** A three-master Redis Cluster. */
  public static RedisPerClass<RedisCluster> cluster() {
    return new RedisPerClass<>(RedisCluster::start, RedisCluster::flushAll);
  }

  /** The running Redis; from the class's first test on. */
  public R get() {
    return redis;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    redis = start.get();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    empty.accept(redis);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    redis.close();
  }
}
