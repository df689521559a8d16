package io.herald.loadtool.worker;

import io.herald.loadtool.EpochClock;
import io.netty.channel.EventLoop;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Paces chat messages over the ready clients, round robin: each tick sends what the rate allows
 * since the start, so a late tick catches up instead of lowering the rate. Runs on one event loop.
 */
final class ChatSender {
  private static final long TICK_MICROS = 1_000;

  private final WorkerEngine engine;
  private final EventLoop loop;
  private final double ratePerSecond;
  private final long durationNanos;
  private final String pad;
  private final CompletableFuture<Long> done = new CompletableFuture<>();
  // only accessed on loop
  private long startNanos;
  private long sent;
  private int cursor;
  private ScheduledFuture<?> ticker;

  ChatSender(WorkerEngine engine, EventLoop loop, double ratePerSecond, long durationMillis, int payloadBytes) {
    if (ratePerSecond <= 0) {
      throw new IllegalArgumentException("chat rate must be > 0 messages/s: " + ratePerSecond);
    }
    this.engine = engine;
    this.loop = loop;
    this.ratePerSecond = ratePerSecond;
    this.durationNanos = TimeUnit.MILLISECONDS.toNanos(durationMillis);
    this.pad = "x".repeat(Math.max(0, payloadBytes - 40));
  }

  CompletableFuture<Long> start() {
    loop.execute(() -> {
      startNanos = System.nanoTime();
      ticker = loop.scheduleAtFixedRate(this::tick, 0, TICK_MICROS, TimeUnit.MICROSECONDS);
    });
    return done;
  }

  private void tick() {
    long elapsed = System.nanoTime() - startNanos;
    if (elapsed >= durationNanos) {
      ticker.cancel(false);
      done.complete(sent);
      return;
    }
    long due = (long) (elapsed / 1e9 * ratePerSecond) - sent;
    Client[] clients = engine.clients();
    int misses = 0;
    while (due > 0 && misses < clients.length) {
      Client from = clients[cursor];
      cursor = (cursor + 1) % clients.length;
      Client to = engine.partner(from);
      if (from.state != Client.State.READY || to == null || to.state != Client.State.READY) {
        misses++;
        continue;
      }
      misses = 0;
      send(from, to);
      due--;
    }
    if (misses >= clients.length && clients.length > 0) {
      ticker.cancel(false);
      done.completeExceptionally(new IllegalStateException("no ready client has a ready partner"));
    }
  }

  private void send(Client from, Client to) {
    String message = "{\"type\":\"chat\",\"data\":{\"to_user_id\":" + to.userId + ",\"content\":\""
        + MessageScanner.SEQ + "=" + from.chatSent++ + " " + MessageScanner.TS + "=" + EpochClock.micros()
        + " " + pad + "\"}}";
    from.ws.sendText(message.getBytes(StandardCharsets.UTF_8));
    sent++;
  }
}
