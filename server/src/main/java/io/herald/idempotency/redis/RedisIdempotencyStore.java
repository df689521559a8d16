package io.herald.idempotency.redis;

import io.herald.idempotency.IdempotencyStore;

import io.herald.broker.BrokerUnavailableException;
import io.herald.history.redis.StoreConnection;
import io.herald.util.Failures;
import io.lettuce.core.SetArgs;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Cluster-wide keys: {@code <p>:idem:{key}} set with {@code SET NX PX ttl} to claim (so of two
 * nodes taking the same key at once exactly one runs the request), then overwritten with the
 * answer ({@code SET XX PX ttl}). A claim holds {@code P}; an answer holds
 * {@code A <status>\n<path>\n<body>}.
 */
public final class RedisIdempotencyStore implements IdempotencyStore {
  private static final byte[] PENDING = {'P'};

  private final StoreConnection redis;
  private final String prefix;
  private final long ttlMillis;

  public RedisIdempotencyStore(StoreConnection redis, String prefix, Duration ttl) {
    this.redis = redis;
    this.prefix = prefix;
    this.ttlMillis = ttl.toMillis();
  }

  /** Redis unreachable: the caller answers 503, as for any push that cannot reach the cluster. */
  @Override
  public CompletionStage<Claim> claim(String key) {
    byte[] k = key(key);
    return redis.call(c -> c.set(k, PENDING, SetArgs.Builder.nx().px(ttlMillis)).toCompletableFuture()
        .thenCompose(ok -> {
          if ("OK".equals(ok)) {
            return java.util.concurrent.CompletableFuture.completedFuture((Claim) new Claim.First());
          }
          return c.get(k).toCompletableFuture().thenApply(RedisIdempotencyStore::decode);
        })).exceptionallyCompose(err -> java.util.concurrent.CompletableFuture.failedFuture(
            new BrokerUnavailableException("Redis is unreachable: the Idempotency-Key could not be checked, nothing was sent",
                Failures.cause(err))));
  }

  @Override
  public CompletionStage<Void> complete(String key, Answer answer) {
    return redis.call(c -> c.set(key(key), encode(answer), SetArgs.Builder.xx().px(ttlMillis))
        .toCompletableFuture().thenApply(ok -> null));
  }

  @Override
  public CompletionStage<Void> release(String key) {
    return redis.call(c -> c.del(key(key)).toCompletableFuture().thenApply(n -> null));
  }

  @Override
  public void close() {
    // the connection belongs to the caller
  }

  private byte[] key(String key) {
    return (prefix + ":idem:{" + key + "}").getBytes(StandardCharsets.UTF_8);
  }

  /** A key gone between SET NX and GET (expired or released) counts as busy: the caller asks again. */
  private static Claim decode(byte[] value) {
    if (value == null || value.length == 0 || value[0] != 'A') {
      return new Claim.Busy();
    }
    String text = new String(value, StandardCharsets.UTF_8);
    int nl1 = text.indexOf('\n');
    int nl2 = text.indexOf('\n', nl1 + 1);
    int status = Integer.parseInt(text.substring(2, nl1));
    String path = text.substring(nl1 + 1, nl2);
    byte[] body = text.substring(nl2 + 1).getBytes(StandardCharsets.UTF_8);
    return new Claim.Done(new Answer(status, path, body));
  }

  private static byte[] encode(Answer a) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(a.body().length + 32);
    out.writeBytes(("A " + a.status() + "\n" + a.path() + "\n").getBytes(StandardCharsets.UTF_8));
    out.writeBytes(a.body());
    return out.toByteArray();
  }
}
