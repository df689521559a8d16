package io.herald.transport;

import io.herald.broker.BrokerUnavailableException;
import io.herald.history.RecoveryOutcome;
import io.herald.hub.Hub;
import io.herald.hub.HubException;
import io.herald.hub.UserId;
import io.herald.metrics.Metrics;
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
 * Carries out the Herald protocol's client commands and answers them: one per event loop, for all
 * of its connections (it keeps no per-connection state, so idle connections do not each carry
 * one). Hub calls that finish on another thread answer back on the connection's event loop.
 */
final class CommandDispatcher {
  private static final Logger log = LoggerFactory.getLogger(CommandDispatcher.class);

  private final Hub hub;
  private final LoopWriter writer;
  private final Metrics metrics;
  private final Clock clock;
  private final EventLoop loop;

  CommandDispatcher(Hub hub, LoopWriter writer, Metrics metrics, Clock clock) {
    this.hub = hub;
    this.writer = writer;
    this.metrics = metrics;
    this.clock = clock;
    this.loop = writer.loop();
  }

  /** The loop's writer. */
  LoopWriter writer() {
    return writer;
  }

  /** Parses and carries out one text frame received at {@code now}; answers errors with an error frame. */
  void onText(NettySession connection, RateLimiter limiter, String text, long now) {
    try {
      ClientMessage m = ClientMessage.parse(text);
      metrics.frameIn(m.type());
      dispatch(connection, limiter, m, now);
    } catch (ProtocolException e) {
      replyError(connection, e.code(), e.getMessage(), null);
    } catch (HubException e) {
      replyError(connection, e.code(), e.getMessage(), null);
    }
  }

  private void dispatch(NettySession connection, RateLimiter limiter, ClientMessage m, long now) {
    switch (m.type()) {
      case "ping" -> connection.send(writer.pong(clock.instant().getEpochSecond()));
      case "heartbeat" -> connection.send(writer.heartbeatAck(clock.instant().getEpochSecond()));
      case "chat" -> {
        UserId to = UserId.fromJson(m.require("to_user_id")).orElseThrow(() -> new ProtocolException(
            ErrorCode.INVALID_FIELD, "data.to_user_id must be a non-negative integer or a non-empty string"));
        String content = m.requireText("content");
        whenFailed(connection, hub.chat(connection.session(), to, content));
      }
      case "broadcast" -> {
        String message = m.requireText("message");
        if (!limiter.broadcast(now)) {
          metrics.rateLimited();
          throw new HubException(ErrorCode.RATE_LIMITED,
              "too many broadcasts: at most " + connection.settings().broadcastsPerMinute() + " per minute");
        }
        whenFailed(connection, hub.broadcastFrom(connection.session(), message));
      }
      case "subscribe" -> subscribe(connection, m.requireChannel(), m);
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

  /** Subscribes; with {@code recover} (docs/protocol.md), replays what the client missed first. */
  private void subscribe(NettySession connection, String channelName, ClientMessage m) {
    CompletionStage<RecoveryOutcome> subscribed;
    try {
      RecoveryRequest.Recover recover = RecoveryRequest.fromSubscribe(m.data());
      subscribed = recover == null
          ? hub.subscribe(connection.session(), channelName).thenApply(v -> null)
          : hub.subscribe(connection.session(), channelName, recover.from());
    } catch (HubException e) {
      replyError(connection, e.code(), e.getMessage(), channelName);
      return;
    } catch (ProtocolException e) {
      replyError(connection, e.code(), e.getMessage(), channelName);
      return;
    }
    subscribed.whenComplete((outcome, err) -> onLoop(() -> {
      if (err == null) {
        if (outcome != null) {
          connection.send(ServerFrames.channelRecovery(channelName, outcome));
        }
        connection.send(ServerFrames.subscribed(channelName));
      } else {
        replyFailure(connection, err, channelName);
      }
    }));
  }

  private void whenFailed(NettySession connection, CompletionStage<?> stage) {
    stage.whenComplete((v, err) -> {
      if (err != null) {
        onLoop(() -> replyFailure(connection, err, null));
      }
    });
  }

  private void replyFailure(NettySession connection, Throwable err, String channel) {
    Throwable cause = Failures.cause(err);
    if (cause instanceof HubException h) {
      replyError(connection, h.code(), h.getMessage(), channel);
    } else if (cause instanceof BrokerUnavailableException) {
      log.warn("request of {} failed: {}", connection, cause.getMessage());
      replyError(connection, ErrorCode.UNAVAILABLE, channel == null
          ? "the message could not be delivered: the cluster broker is unavailable"
          : "the subscription could not be made: the cluster broker is unavailable", channel);
    } else {
      log.error("request of {} failed", connection, cause);
      replyError(connection, ErrorCode.INTERNAL, "internal error", channel);
    }
  }

  /** An error frame; {@code channel}, when given, names the channel a refused subscribe was for. */
  void replyError(NettySession connection, ErrorCode code, String message, String channel) {
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
