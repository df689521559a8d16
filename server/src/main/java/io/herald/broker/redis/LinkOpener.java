package io.herald.broker.redis;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** Opens {@link RedisLink}s to one kind of Redis deployment: a single server or a Redis Cluster. */
interface LinkOpener {
  /**
   * Connects. {@code messages} gets the payload of every pub/sub message; {@code onLost} runs
   * once, on a Lettuce thread, when the link breaks after it was opened.
   */
  CompletableFuture<RedisLink> open(Consumer<byte[]> messages, Consumer<RedisLink> onLost);

  /** {@code standalone} or {@code cluster}, for /health. */
  String mode();

  /** Releases the client; the links it opened close with it. */
  void shutdown();
}
