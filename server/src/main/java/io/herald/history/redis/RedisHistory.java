package io.herald.history.redis;

import io.herald.history.History;
import io.herald.history.Position;
import io.herald.history.Replay;
import io.herald.history.Retention;
import io.herald.history.StreamId;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Cluster history in Redis: per stream a Redis Stream of frames ({@code XADD … MAXLEN size}, key
 * expiring {@code ttl} after its last frame) and a small hash with the epoch and last offset
 * (expiring after {@link Retention#metaTtl}). One Lua script numbers and keeps a frame
 * atomically, so offsets are consecutive whichever node appends; both keys carry the stream in
 * one hash tag ({@code <p>:h:{channel:orders}:s}), so each call touches one slot (Redis Cluster).
 * Frames younger than {@code ttl} are read back by time ({@code XRANGE} from now − ttl).
 *
 * <p>An epoch is created by the first append or read of a stream; if Redis loses the keys
 * (flush, restart without persistence, meta expiry) the stream starts again under a new one.
 * Appends complete in order on the connection's I/O thread, which runs {@code then}.
 */
public final class RedisHistory implements History {
  private static final byte[] NONE = {'-'};

  private final StoreConnection redis;
  private final Retention retention;
  private final String prefix;

  /** {@code prefix}: Herald's Redis prefix, without its colon. */
  public RedisHistory(StoreConnection redis, Retention retention, String prefix) {
    this.redis = redis;
    this.retention = retention;
    this.prefix = prefix;
  }

  @Override
  public Retention retention() {
    return retention;
  }

  @Override
  public CompletionStage<Void> append(StreamId stream, byte[] json, Set<String> excluded, Appended then) {
    Retention.Rule rule = retention.of(stream);
    if (!rule.on()) {
      throw new IllegalArgumentException("stream " + stream + " keeps no history");
    }
    String streamField = stream.kind() == StreamId.Kind.CHANNEL ? "" : ",\"stream\":\"" + stream.kind().wire() + '"';
    CompletableFuture<List<Object>> done = redis.eval(LuaScript.APPEND, ScriptOutputType.MULTI, keys(stream),
        Arrays.copyOf(json, json.length - 1), bytes(streamField), bytes(Integer.toString(rule.size())),
        bytes(Long.toString(rule.ttl().toMillis())), bytes(Long.toString(retention.metaTtl().toMillis())),
        bytes(newEpoch()), bytes(String.join("\n", excluded)));
    return done.thenAccept(reply -> {
      long offset = (Long) reply.get(0);
      String epoch = text(reply.get(1));
      then.accept(offset, io.herald.history.Frames.stamp(json, stream, epoch, offset));
    });
  }

  @Override
  public CompletionStage<Replay> since(StreamId stream, Position from) {
    Retention.Rule rule = retention.of(stream);
    long ttl = rule.on() ? rule.ttl().toMillis() : 1;
    CompletableFuture<List<Object>> read = redis.eval(LuaScript.READ, ScriptOutputType.MULTI, keys(stream),
        bytes(Long.toString(ttl)), bytes(Long.toString(retention.metaTtl().toMillis())), bytes(newEpoch()),
        from == null ? NONE : bytes(Long.toString(from.offset())));
    return read.thenApply(reply -> {
      Position top = new Position(text(reply.get(0)), (Long) reply.get(1));
      List<Replay.Entry> kept = new ArrayList<>(reply.size() - 2);
      for (int i = 2; i < reply.size(); i++) {
        List<?> e = (List<?>) reply.get(i);
        String x = text(e.get(2));
        Set<String> excluded = x.isEmpty() ? Set.of() : new HashSet<>(Arrays.asList(x.split("\n")));
        kept.add(new Replay.Entry((Long) e.get(0), (byte[]) e.get(1), excluded));
      }
      return Replay.of(top, kept, from);
    });
  }

  @Override
  public void close() {
    // the connection belongs to the caller
  }

  private byte[][] keys(StreamId stream) {
    String base = prefix + ":h:{" + stream.key() + "}";
    return new byte[][] {bytes(base + ":s"), bytes(base + ":m")};
  }

  private static String newEpoch() {
    return Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(Object o) {
    return o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o);
  }
}
