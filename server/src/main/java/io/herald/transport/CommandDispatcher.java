package io.herald.transport;

import io.herald.auth.AuthException;
import io.herald.auth.AuthUnavailableException;
import io.herald.broker.BrokerUnavailableException;
import io.herald.history.RecoveryOutcome;
import io.herald.hub.Hub;
import io.herald.hub.HubException;
import io.herald.hub.UserId;
import io.herald.metrics.Metrics;
import io.herald.protocol.ChannelName;
import io.herald.protocol.ClientMessage;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.ProtocolException;
import io.herald.protocol.RecoveryRequest;
import io.herald.protocol.ServerFrames;
import io.herald.util.Failures;
import io.netty.channel.EventLoop;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the Herald protocol's client commands for one connection and answers them. Hub
 * calls that finish on another thread answer back on the connection's event loop.
 */
final class CommandDispatcher {
  private static final Logger log = LoggerFactory.getLogger(CommandDispatcher.class);

  private final NettySession connection;
  private final Hub hub;
  private final LoopWriter writer;
  private final RateLimiter limiter;
  private final WsSettings settings;
  private final Metrics metrics;
  private final Clock clock;
  private final EventLoop loop;
  private final SessionAuth auth;

  CommandDispatcher(NettySession connection, Hub hub, LoopWriter writer, RateLimiter limiter, WsSettings settings,
                    Metrics metrics, Clock clock, SessionAuth auth) {
    this.connection = connection;
    this.auth = auth;
    this.hub = hub;
    this.writer = writer;
    this.limiter = limiter;
    this.settings = settings;
    this.metrics = metrics;
    this.clock = clock;
    this.loop = writer.loop();
  }

  /** Parses and carries out one text frame (UTF-8) received at {@code now}; answers errors with an error frame. */
  void onText(byte[] utf8, long now) {
    try {
      ClientMessage m = ClientMessage.parse(utf8);
      metrics.frameIn(m.type());
      dispatch(m, now);
    } catch (ProtocolException e) {
      replyError(e.code(), e.getMessage(), null);
    } catch (HubException e) {
      replyError(e.code(), e.getMessage(), null);
    }
  }

  private void dispatch(ClientMessage m, long now) {
    switch (m.type()) {
      case "ping" -> connection.send(writer.pong(clock.instant().getEpochSecond()));
      case "heartbeat" -> connection.send(writer.heartbeatAck(clock.instant().getEpochSecond()));
      case "chat" -> {
        UserId to = UserId.fromJson(m.require("to_user_id")).orElseThrow(() -> new ProtocolException(
            ErrorCode.INVALID_FIELD, "data.to_user_id must be a non-negative integer or a non-empty string"));
        String content = m.requireText("content");
        whenFailed(hub.chat(connection.session(), to, content));
      }
      case "broadcast" -> {
        String message = m.requireText("message");
        if (!limiter.broadcast(now)) {
          metrics.rateLimited();
          throw new HubException(ErrorCode.RATE_LIMITED,
              "too many broadcasts: at most " + settings.broadcastsPerMinute() + " per minute");
        }
        whenFailed(hub.broadcastFrom(connection.session(), message));
      }
      case "subscribe" -> subscribeChecked(m.requireChannel(), m);
      case "refresh" -> auth.refresh(m.requireText("token"), connection.remoteAddress());
      // Where the user and all-users streams stand (no replay): a first connection's starting point.
      case "recover" -> hub.recover(connection.session(), null, null)
          .thenAccept(outcomes -> connection.send(recoveryFrame(outcomes)));
      case "unsubscribe" -> {
        String channelName = m.requireChannel();
        hub.unsubscribe(connection.session(), channelName);
        connection.send(ServerFrames.unsubscribed(channelName));
      }
      default -> throw new ProtocolException(ErrorCode.UNKNOWN_TYPE, "unknown message type: "
          + (m.type().length() > 64 ? m.type().substring(0, 64) + "…" : m.type()));
    }
  }

  /** The {@code recovery} frame for the outcomes of {@link Hub#recover}. */
  static io.herald.protocol.Message recoveryFrame(Map<io.herald.history.StreamId, RecoveryOutcome> outcomes) {
    Map<String, RecoveryOutcome> byKind = new LinkedHashMap<>();
    outcomes.forEach((stream, outcome) -> byKind.put(stream.kind().wire(), outcome));
    return ServerFrames.recovery(byKind);
  }

  /**
   * Reads the recovery request (a malformed one is refused before anything else), then lets the
   * credentials, a subscription token or the application decide a private channel.
   */
  private void subscribeChecked(String channelName, ClientMessage m) {
    String token = m.optionalText("token");
    RecoveryRequest.Recover recover;
    try {
      recover = RecoveryRequest.fromSubscribe(m.data());
    } catch (ProtocolException e) {
      replyError(e.code(), e.getMessage(), channelName);
      return;
    }
    if (ChannelName.isPrivate(channelName) && !auth.mayJoinPrivate(channelName)) {
      // Decided by a subscription token or the application, possibly off the loop.
      auth.authorize(channelName, token).whenComplete((v, err) -> onLoop(() -> {
        if (err == null) {
          subscribe(channelName, recover);
        } else {
          refuse(err, channelName);
        }
      }));
    } else {
      subscribe(channelName, recover);
    }
  }

  /** Subscribes; with {@code recover} (docs/protocol.md), replays what the client missed first. */
  private void subscribe(String channelName, RecoveryRequest.Recover recover) {
    if (connection.closing()) {
      return;
    }
    CompletionStage<RecoveryOutcome> subscribed;
    try {
      subscribed = recover == null
          ? hub.subscribe(connection.session(), channelName).thenApply(v -> null)
          : hub.subscribe(connection.session(), channelName, recover.from());
    } catch (HubException e) {
      replyError(e.code(), e.getMessage(), channelName);
      return;
    }
    subscribed.whenComplete((outcome, err) -> onLoop(() -> {
      if (err == null) {
        if (outcome != null) {
          connection.send(ServerFrames.channelRecovery(channelName, outcome));
        }
        connection.send(ServerFrames.subscribed(channelName));
      } else {
        replyFailure(err, channelName);
      }
    }));
  }

  /** A private subscription that the credentials, a subscription token and the application did not allow. */
  private void refuse(Throwable err, String channel) {
    if (connection.closing()) {
      return;
    }
    Throwable cause = Failures.cause(err);
    if (cause instanceof AuthUnavailableException) {
      replyError(ErrorCode.UNAVAILABLE, "the subscription could not be decided now; try again", channel);
    } else if (cause instanceof AuthException a) {
      replyError(ErrorCode.FORBIDDEN, "not allowed to join " + channel + ": " + a.getMessage(), channel);
    } else {
      log.error("subscription of {} to {} could not be decided", connection, channel, cause);
      replyError(ErrorCode.INTERNAL, "internal error", channel);
    }
  }

  private void whenFailed(CompletionStage<?> stage) {
    stage.whenComplete((v, err) -> {
      if (err != null) {
        onLoop(() -> replyFailure(err, null));
      }
    });
  }

  private void replyFailure(Throwable err, String channel) {
    Throwable cause = Failures.cause(err);
    if (cause instanceof HubException h) {
      replyError(h.code(), h.getMessage(), channel);
    } else if (cause instanceof BrokerUnavailableException) {
      log.warn("request of {} failed: {}", connection, cause.getMessage());
      replyError(ErrorCode.UNAVAILABLE, channel == null
          ? "the message could not be delivered: the cluster broker is unavailable"
          : "the subscription could not be made: the cluster broker is unavailable", channel);
    } else {
      log.error("request of {} failed", connection, cause);
      replyError(ErrorCode.INTERNAL, "internal error", channel);
    }
  }

  /** An error frame; {@code channel}, when given, names the channel a refused subscribe was for. */
  void replyError(ErrorCode code, String message, String channel) {
    connection.send(ServerFrames.error(code, message, channel));
  }

  private void onLoop(Runnable task) {
    if (loop.inEventLoop()) {
      task.run();
    } else {
      loop.execute(task);
    }
  }
}
