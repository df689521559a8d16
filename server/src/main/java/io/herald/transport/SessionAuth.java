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
 * <p>There is no timer per connection: the credentials tell the connection when they next want
 * {@link #check} ({@link Listener#checkAt}), and the loop's heartbeat sweep calls it at the first
 * sweep from then on, up to a sweep period (at most a second) late. Credentials that do not expire
 * ask for nothing.
 *
 * <p>Confined to the connection's event loop, except {@link #mayJoinPrivate}, which the hub calls
 * on the same loop.
 */
final class SessionAuth implements ChannelPolicy {
  /** What the credentials ask of the connection. */
  interface Listener {
    void send(Message message);

    void error(ErrorCode code, String message, String channel);

    /** The credentials expired without a refresh: close with 4001. */
    void expired();

    /**
     * Call {@link SessionAuth#check} at the first heartbeat sweep at or after {@code nanoTime} (as
     * {@link System#nanoTime()}; {@link SessionAuth#NEVER}: not at all), instead of at any time
     * asked before.
     */
    void checkAt(long nanoTime);
  }

  /** The due time of nothing: compared directly, {@code now >= NEVER} is never true. */
  static final long NEVER = Long.MAX_VALUE;

  private final EventLoop loop;
  private final Supplier<Authenticator> authenticator;
  private final Duration warning;
  private final Clock clock;
  private final Listener listener;

  // Only accessed on the event loop.
  private Principal principal;
  /** Channels granted one by one; made at the first grant (most connections never get one). */
  private Set<String> granted;
  /** Whether {@code token_expiring} went out for these credentials: the next check is the end. */
  private boolean warned;
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

  /**
   * Starts with the credentials the connection was accepted with; on the event loop, once it is
   * open, at {@code now} ({@link System#nanoTime()}).
   */
  void start(Principal accepted, long now) {
    principal = accepted;
    watch(now);
  }

  /** The connection closed: no more checks or answers. */
  void stop() {
    stopped = true;
    listener.checkAt(NEVER);
  }

  /**
   * The time asked for with {@link Listener#checkAt} has come. Before the warning: sends
   * {@code token_expiring} and asks to be checked again at the end, or also expires when the end
   * has passed as well. After the warning: expires. From the warning on the end is timed by
   * {@link System#nanoTime()}, so a wall clock stepped meanwhile neither hastens nor delays it.
   */
  void check(long now) {
    if (stopped || principal.expiresAt() == null) {
      return;
    }
    if (!warned && warn(now)) {
      return;
    }
    stopped = true;
    listener.expired();
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
          watch(System.nanoTime());
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

  /** Asks for a check at the warning of the current credentials (at once when it has passed), or for none. */
  private void watch(long now) {
    warned = false;
    Instant end = principal.expiresAt();
    if (!stopped) {
      listener.checkAt(end == null ? NEVER : nanoTimeAt(end.minus(warning), now));
    }
  }

  /** Sends {@code token_expiring} and asks to be checked at the end; false when the end has come already. */
  private boolean warn(long now) {
    warned = true;
    Instant end = principal.expiresAt();
    long endNanos = nanoTimeAt(end, now);
    boolean ahead = endNanos > now;
    if (ahead) {
      listener.checkAt(endNanos);
    }
    listener.send(ServerFrames.tokenExpiring(end.getEpochSecond(),
        Math.max(0, Duration.between(clock.instant(), end).toSeconds())));
    return ahead;
  }

  /**
   * The {@link System#nanoTime()} at which the clock reads {@code at}, seen at {@code now}: {@code
   * now} once it has passed, {@link #NEVER} when it lies beyond what a {@code long} of
   * nanoseconds reaches (a token valid for centuries).
   */
  private long nanoTimeAt(Instant at, long now) {
    Duration left = Duration.between(clock.instant(), at);
    if (left.isNegative()) {
      return now;
    }
    if (left.getSeconds() >= NEVER / TimeUnit.SECONDS.toNanos(1)) {
      return NEVER;
    }
    long due = now + left.toNanos();
    return due < now ? NEVER : due;
  }
}
