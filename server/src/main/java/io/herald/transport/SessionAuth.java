package io.herald.transport;

import io.herald.auth.AuthException;
import io.herald.auth.AuthUnavailableException;
import io.herald.auth.Authenticator;
import io.herald.auth.Principal;
import io.herald.hub.ChannelPolicy;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.Message;
import io.herald.protocol.ServerFrames;
import io.herald.util.Failures;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A connection's credentials while it is open: which private channels it may join (its token's
 * or proxy answer's globs, plus channels granted one by one by subscription tokens or the
 * application), and when they expire. {@code auth.expiry_warning} before the end the client gets
 * {@code token_expiring}; a {@code refresh} with a new token for the same user replaces the
 * credentials ({@code refreshed}); otherwise the connection is closed with 4001 at the end
 * (docs/protocol.md, "Token expiry while connected").
 *
 * <p>Confined to the connection's event loop, except {@link #mayJoinPrivate}, which the hub calls
 * on the same loop. Costs nothing for credentials that do not expire (no timer).
 */
final class SessionAuth implements ChannelPolicy {
  /** What the credentials ask of the connection. */
  interface Listener {
    void send(Message message);

    void error(ErrorCode code, String message, String channel);

    /** The credentials expired without a refresh: close with 4001. */
    void expired();
  }

  private final EventLoop loop;
  private final Supplier<Authenticator> authenticator;
  private final Duration warning;
  private final Clock clock;
  private final Listener listener;

  // Only accessed on the event loop.
  private Principal principal;
  /** Channels granted one by one; made at the first grant (most connections never get one). */
  private Set<String> granted;
  /** The warning, then (scheduled when the warning goes out) the expiry: one timer per connection. */
  private ScheduledFuture<?> timer;
  /** How long after the warning the credentials expire. */
  private long expiryAfterWarningMillis;
  private boolean stopped;

  SessionAuth(EventLoop loop, Supplier<Authenticator> authenticator, Duration warning, Clock clock,
              Listener listener) {
    this.loop = loop;
    this.authenticator = authenticator;
    this.warning = warning;
    this.clock = clock;
    this.listener = listener;
  }

  Principal principal() {
    return principal;
  }

  /** Starts with the credentials the connection was accepted with; on the event loop, once it is open. */
  void start(Principal accepted) {
    principal = accepted;
    schedule();
  }

  /** The connection closed: no more timers or answers. */
  void stop() {
    stopped = true;
    cancelTimer();
  }

  @Override
  public boolean mayJoinPrivate(String channel) {
    return principal != null && (principal.mayJoinPrivate(channel) || granted != null && granted.contains(channel));
  }

  /**
   * Decides a private subscription the credentials do not cover: a subscription token or the
   * application. Completes (on any thread) once decided; a grant is recorded on the event loop
   * before the stage completes normally. The authenticator in force now decides (a reload may
   * have replaced it).
   */
  CompletionStage<Void> authorize(String channel, String token) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    authenticator.get().channels().authorize(principal.userId(), channel, token).whenComplete((v, err) -> loop.execute(() -> {
      if (err != null) {
        done.completeExceptionally(err);
      } else {
        if (granted == null) {
          granted = new HashSet<>(2);
        }
        granted.add(channel);
        done.complete(null);
      }
    }));
    return done;
  }

  /** A {@code refresh} frame: checks the new token off the loop, then swaps the credentials. */
  void refresh(String token, String remoteAddress) {
    authenticator.get().authenticate(principal.userId().value(), token, remoteAddress)
        .whenComplete((fresh, err) -> loop.execute(() -> {
          if (stopped) {
            return;
          }
          if (err != null) {
            refused(err);
            return;
          }
          principal = fresh;
          schedule();
          listener.send(ServerFrames.refreshed(fresh.expiresAt() == null ? null : fresh.expiresAt().getEpochSecond()));
        }));
  }

  private void refused(Throwable err) {
    Throwable cause = Failures.cause(err);
    if (cause instanceof AuthUnavailableException) {
      listener.error(ErrorCode.UNAVAILABLE, "the token could not be checked now; try again", null);
    } else if (cause instanceof AuthException a) {
      listener.error(ErrorCode.INVALID_TOKEN, "token refused: " + a.getMessage(), null);
    } else {
      listener.error(ErrorCode.INTERNAL, "the token could not be checked", null);
    }
  }

  private void schedule() {
    cancelTimer();
    Instant end = principal.expiresAt();
    if (end == null || stopped) {
      return;
    }
    long untilEnd = Math.max(0, Duration.between(clock.instant(), end).toMillis());
    long untilWarning = Math.max(0, untilEnd - warning.toMillis());
    expiryAfterWarningMillis = untilEnd - untilWarning;
    timer = loop.schedule(this::warn, untilWarning, TimeUnit.MILLISECONDS);
  }

  private void warn() {
    Instant end = principal.expiresAt();
    if (stopped || end == null) {
      return;
    }
    listener.send(ServerFrames.tokenExpiring(end.getEpochSecond(),
        Math.max(0, Duration.between(clock.instant(), end).toSeconds())));
    timer = loop.schedule(() -> {
      if (!stopped) {
        stopped = true;
        listener.expired();
      }
    }, expiryAfterWarningMillis, TimeUnit.MILLISECONDS);
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
