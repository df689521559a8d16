package io.herald.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.history.Frames;
import io.herald.history.History;
import io.herald.history.Position;
import io.herald.history.Replay;
import io.herald.history.Retention;
import io.herald.history.StreamId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What every {@link History} must do; subclasses say how to make one. */
public abstract class HistoryContract {
  private final List<History> made = new ArrayList<>();

  /** A history keeping the given rule for every kind. */
  protected abstract History newHistory(Retention retention);

  protected History history(int size, Duration ttl) {
    Retention.Rule rule = new Retention.Rule(size, ttl);
    Retention defaults = Retention.defaults();
    History h = newHistory(new Retention(true, rule, rule, rule, List.of(), defaults.maxBytes(),
        defaults.metaTtl(), defaults.recoveryBuffer()));
    made.add(h);
    return h;
  }

  @AfterEach
  void closeAll() {
    made.forEach(History::close);
  }

  protected static byte[] frame(String type, Object n) {
    return ("{\"type\":\"" + type + "\",\"data\":" + n + "}").getBytes(StandardCharsets.UTF_8);
  }

  protected static List<Long> append(History h, StreamId s, int count) {
    List<Long> offsets = Collections.synchronizedList(new ArrayList<>());
    for (int i = 1; i <= count; i++) {
      join(h.append(s, frame("t", i), Set.of(), (offset, f) -> offsets.add(offset)));
    }
    return offsets;
  }

  protected static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void appendsNumberConsecutivelyAndStampTheFrame() {
    History h = history(100, Duration.ofMinutes(2));
    StreamId orders = StreamId.channel("orders");
    List<String> frames = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      join(h.append(orders, frame("t", i), Set.of(), (offset, f) -> frames.add(offset + " " + text(f))));
    }
    Position top = join(h.since(orders, null)).top();
    assertThat(top.offset()).isEqualTo(3);
    assertThat(frames).containsExactly(
        "1 {\"type\":\"t\",\"data\":1,\"epoch\":\"" + top.epoch() + "\",\"offset\":1}",
        "2 {\"type\":\"t\",\"data\":2,\"epoch\":\"" + top.epoch() + "\",\"offset\":2}",
        "3 {\"type\":\"t\",\"data\":3,\"epoch\":\"" + top.epoch() + "\",\"offset\":3}");
  }

  @Test
  void userAndAllFramesNameTheirStream() {
    History h = history(100, Duration.ofMinutes(2));
    List<String> frames = new ArrayList<>();
    join(h.append(StreamId.user("42"), frame("chat", 1), Set.of(), (o, f) -> frames.add(text(f))));
    join(h.append(StreamId.ALL, frame("broadcast", 2), Set.of(), (o, f) -> frames.add(text(f))));
    assertThat(frames.get(0)).startsWith("{\"type\":\"chat\",\"data\":1,\"stream\":\"user\",\"epoch\":\"").endsWith(",\"offset\":1}");
    assertThat(frames.get(1)).startsWith("{\"type\":\"broadcast\",\"data\":2,\"stream\":\"all\",\"epoch\":\"");
    assertThat(Frames.offset(frames.get(1).getBytes(StandardCharsets.UTF_8))).isEqualTo(1);
  }

  @Test
  void replayFromAPositionIsEverythingAfterItInOrder() {
    History h = history(100, Duration.ofMinutes(2));
    StreamId s = StreamId.user("7");
    append(h, s, 5);
    String epoch = join(h.since(s, null)).top().epoch();
    Replay r = join(h.since(s, new Position(epoch, 2)));
    assertThat(r.complete()).isTrue();
    assertThat(r.frames()).extracting(Replay.Entry::offset).containsExactly(3L, 4L, 5L);
    assertThat(text(r.frames().get(0).frame())).contains("\"data\":3,");
    Replay upToDate = join(h.since(s, new Position(epoch, 5)));
    assertThat(upToDate.complete()).isTrue();
    assertThat(upToDate.frames()).isEmpty();
  }

  @Test
  void aTrimmedPositionIsIncompleteButReplaysWhatIsKept() {
    History h = history(3, Duration.ofMinutes(2));
    StreamId s = StreamId.channel("news");
    append(h, s, 6);
    Replay r = join(h.since(s, new Position(join(h.since(s, null)).top().epoch(), 1)));
    assertThat(r.complete()).isFalse();
    assertThat(r.frames()).extracting(Replay.Entry::offset).containsExactly(4L, 5L, 6L);
  }

  @Test
  void anotherEpochOrAFutureOffsetIsIncompleteAndReplaysNothing() {
    History h = history(100, Duration.ofMinutes(2));
    StreamId s = StreamId.ALL;
    append(h, s, 2);
    String epoch = join(h.since(s, null)).top().epoch();
    Replay other = join(h.since(s, new Position(epoch + "x", 1)));
    assertThat(other.complete()).isFalse();
    assertThat(other.frames()).isEmpty();
    Replay future = join(h.since(s, new Position(epoch, 9)));
    assertThat(future.complete()).isFalse();
    assertThat(future.frames()).isEmpty();
    assertThat(future.top()).isEqualTo(new Position(epoch, 2));
  }

  @Test
  void aStreamNeverWrittenHasAStableEpochAtOffsetZero() {
    History h = history(100, Duration.ofMinutes(2));
    StreamId s = StreamId.user("nobody");
    Position first = join(h.since(s, null)).top();
    assertThat(first.offset()).isZero();
    assertThat(join(h.since(s, null)).top()).isEqualTo(first);
    append(h, s, 1);
    Replay r = join(h.since(s, first));
    assertThat(r.complete()).isTrue();
    assertThat(r.frames()).hasSize(1);
  }

  @Test
  void streamsAreSeparateAndExclusionsAreKept() {
    History h = history(100, Duration.ofMinutes(2));
    append(h, StreamId.channel("a"), 2);
    join(h.append(StreamId.ALL, frame("b", 1), Set.of("5", "bob"), (o, f) -> { }));
    assertThat(join(h.since(StreamId.channel("b"), null)).top().offset()).isZero();
    Replay all = join(h.since(StreamId.ALL, new Position(join(h.since(StreamId.ALL, null)).top().epoch(), 0)));
    assertThat(all.frames()).singleElement().satisfies(e -> assertThat(e.excluded()).containsExactlyInAnyOrder("5", "bob"));
  }

  @Test
  void messagesOlderThanTheTtlAreNotReplayed() {
    History h = history(100, Duration.ofSeconds(1));
    StreamId s = StreamId.channel("short");
    append(h, s, 2);
    Position start = new Position(join(h.since(s, null)).top().epoch(), 0);
    assertThat(join(h.since(s, start)).frames()).hasSize(2);
    await().atMost(Duration.ofSeconds(10)).until(() -> join(h.since(s, start)).frames().isEmpty());
    assertThat(join(h.since(s, start)).complete()).isFalse();
  }

  @Test
  void concurrentAppendsGetDistinctConsecutiveOffsets() throws Exception {
    History h = history(1000, Duration.ofMinutes(2));
    StreamId s = StreamId.channel("busy");
    List<Long> offsets = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<CompletableFuture<Void>> all = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        int n = i;
        all.add(CompletableFuture.supplyAsync(
            () -> h.append(s, frame("t", n), Set.of(), (o, f) -> offsets.add(o)), pool)
            .thenCompose(st -> st.toCompletableFuture()));
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertThat(offsets).hasSize(200).doesNotHaveDuplicates().allMatch(o -> o >= 1 && o <= 200);
    assertThat(join(h.since(s, null)).top().offset()).isEqualTo(200);
  }
}
