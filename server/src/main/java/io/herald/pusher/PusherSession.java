package io.herald.pusher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.herald.config.ServerConfig;
import io.herald.hub.Connection;
import io.herald.hub.Lane;
import io.herald.protocol.Message;
import io.herald.hub.Session;
import io.herald.protocol.CloseCode;
import io.herald.protocol.Json;
import java.security.SecureRandom;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Pusher-protocol connection (protocol 7): reads client events and answers them, and decides
 * what the hub's messages and closes mean for this socket (the transport's stage is the hub's
 * {@link Connection} and passes them on). It joins the hub as an anonymous session whose id is the
 * socket id, so channel traffic from either protocol and either API reaches it.
 *
 * <p>Everything here runs on the connection's event loop (the session's lane); completions from
 * the hub, the broker or the channel store hop back to it before touching any field.
 */
public final class PusherSession {
  private static final Logger log = LoggerFactory.getLogger(PusherSession.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final PusherContext context;
  private final ServerConfig.PusherApp app;
  private final PusherWire wire;
  private final String socketId;
  private final Subscriptions subscriptions;

  // Only accessed on the session's lane.
  private Session session;
  private String signedInUser;
  private String signedInInfo;
  private long lastActivityNanos;
  private long pingSentNanos;
  private double clientTokens;
  private long tokensAt;
  private boolean closed;

  public PusherSession(PusherContext context, ServerConfig.PusherApp app, PusherWire wire) {
    this.context = context;
    this.app = app;
    this.wire = wire;
    this.socketId = newSocketId();
    this.subscriptions = new Subscriptions(context, app, this);
    this.lastActivityNanos = System.nanoTime();
    this.tokensAt = lastActivityNanos;
    this.clientTokens = context.settings().clientEventsPerSecond();
  }

  /** {@code ^\d+\.\d+$}, as the server SDKs require when they sign or exclude a socket. */
  static String newSocketId() {
    return (RANDOM.nextInt(1_000_000_000) + 1) + "." + (RANDOM.nextInt(1_000_000_000) + 1);
  }

  public String socketId() {
    return socketId;
  }

  ServerConfig.PusherApp app() {
    return app;
  }

  Session session() {
    return session;
  }

  String signedInUser() {
    return signedInUser;
  }

  String signedInInfo() {
    return signedInInfo;
  }

  /**
   * Joins the hub and sends connection_established. {@code connection} is what the hub holds for
   * this socket (the transport's stage, which passes messages on to {@link #send}); its lane is
   * the socket's event loop.
   */
  public void open(Lane lane, Connection connection) {
    session = new Session(socketId, null, channel -> true, lane, connection);
    wire.join(session);
    context.metrics().pusherConnectionOpened();
    context.apps().opened(app);
    wire.write(PusherFrames.connectionEstablished(socketId, context.settings().activityTimeout().toSeconds()));
  }

  /** The socket is gone: leave every channel (presence, counts, webhooks) and the hub. */
  public void closed() {
    if (closed || session == null) {
      return;
    }
    closed = true;
    subscriptions.leaveAll();
    context.hub().leave(session);
    context.metrics().pusherConnectionClosed();
    context.apps().closed(app);
  }

  boolean isClosed() {
    return closed;
  }

  /** Writes a reply frame unless the socket is gone. */
  void reply(byte[] frame) {
    if (!closed) {
      wire.write(frame);
    }
  }

  void onLoop(Runnable task) {
    session.lane().execute(task);
  }

  // ---- hub side ----

  /** A hub message for this socket: written in the Pusher format, or a terminate signal. */
  public boolean send(Message m) {
    if (PusherEvents.TERMINATE.equals(m.type())) {
      close(CloseCodes.UNAUTHORIZED, "connection terminated by the app");
      return false;
    }
    return wire.write(m);
  }

  /** The hub or the server closes the socket: with the Pusher code for {@code code}. */
  public void close(CloseCode code) {
    close(CloseCodes.of(code), code == CloseCode.GOING_AWAY ? "server is draining: reconnect" : code.reason());
  }

  void close(int code, String reason) {
    if (session != null && !session.lane().inLane()) {
      session.lane().execute(() -> close(code, reason));
      return;
    }
    wire.close(code, reason);
  }

  // ---- client side ----

  /** Anything from the client (a frame, a WebSocket ping) shows it is alive. */
  public void onActivity() {
    lastActivityNanos = System.nanoTime();
    pingSentNanos = 0;
  }

  /** A text frame from the client. Bad input gets a pusher:error; the socket stays open. */
  public void onText(String text) {
    onActivity();
    long now = lastActivityNanos;
    JsonNode frame;
    try {
      frame = Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      reply(PusherFrames.error(null, "malformed message: not JSON"));
      return;
    }
    if (frame == null || !frame.isObject() || !frame.path("event").isTextual()) {
      reply(PusherFrames.error(null, "malformed message: expected {\"event\":…, \"data\":…}"));
      return;
    }
    String event = frame.get("event").textValue();
    JsonNode data = data(frame.get("data"));
    switch (event) {
      case "pusher:ping" -> reply(PusherFrames.pong());
      case "pusher:pong" -> { }
      case "pusher:subscribe" -> subscriptions.subscribe(data);
      case "pusher:unsubscribe" -> subscriptions.unsubscribe(data.path("channel").asText(""));
      case "pusher:signin" -> signin(data);
      default -> {
        if (event.startsWith("client-")) {
          clientEvent(event, frame, now);
        } else {
          reply(PusherFrames.error(null, "unknown event: " + PusherApi.clip(event)));
        }
      }
    }
  }

  /** {@code data} may come as an object or as a JSON string (double encoding); both mean the same. */
  private static JsonNode data(JsonNode data) {
    if (data != null && data.isTextual()) {
      try {
        JsonNode parsed = Json.MAPPER.readTree(data.textValue());
        return parsed == null ? data : parsed;
      } catch (JsonProcessingException e) {
        return data;
      }
    }
    return data == null ? Json.MAPPER.createObjectNode() : data;
  }

  private void clientEvent(String event, JsonNode frame, long now) {
    String channel = frame.path("channel").asText("");
    if (!app.clientEvents()) {
      reply(PusherFrames.error(CloseCodes.CLIENT_EVENT_RATE, "client events are disabled for this app"));
      return;
    }
    if (event.length() > PusherApi.MAX_EVENT_NAME) {
      reply(PusherFrames.error(null, "event name too long: at most " + PusherApi.MAX_EVENT_NAME + " characters"));
      return;
    }
    Subscriptions.Sub sub = subscriptions.find(channel);
    if (sub == null || !ChannelKind.of(channel).allowsClientEvents()) {
      reply(PusherFrames.error(null, "client events go to subscribed private- or presence- channels only: \""
          + PusherApi.clip(channel) + '"'));
      return;
    }
    int rate = context.settings().clientEventsPerSecond();
    clientTokens = Math.min(rate, clientTokens + (now - tokensAt) * rate / 1e9);
    tokensAt = now;
    if (clientTokens < 1) {
      context.metrics().rateLimited();
      reply(PusherFrames.error(CloseCodes.CLIENT_EVENT_RATE, "too many client events: at most " + rate
          + " per second; this one was dropped"));
      return;
    }
    clientTokens -= 1;
    JsonNode d = frame.get("data");
    String data = d == null || d.isNull() ? "{}" : d.isTextual() ? d.textValue() : d.toString();
    if (data.length() > context.settings().maxEventBytes()) {
      reply(PusherFrames.error(null, "client event data too big: at most " + context.settings().maxEventBytes() + " bytes"));
      return;
    }
    new PusherEvents(context).publish(app, channel, event, data, socketId, sub.userId())
        .whenComplete((v, err) -> {
          if (err != null) {
            onLoop(() -> reply(PusherFrames.error(null, "the client event could not be delivered: " + err.getMessage())));
          }
        });
    context.webhooks().clientEvent(app, channel, event, data, socketId, sub.userId());
  }

  private void signin(JsonNode data) {
    String auth = data.path("auth").asText(null);
    String userData = data.path("user_data").asText(null);
    if (userData == null || !Signatures.matches(auth, app.key(), Signatures.user(app.secret(), socketId, userData))) {
      reply(PusherFrames.error(CloseCodes.UNAUTHORIZED, "Invalid signature for pusher:signin"));
      close(CloseCodes.UNAUTHORIZED, "invalid signin");
      return;
    }
    JsonNode user;
    try {
      user = Json.MAPPER.readTree(userData);
    } catch (JsonProcessingException e) {
      user = null;
    }
    String id = user == null ? "" : user.path("id").asText("");
    if (id.isEmpty() || id.length() > 128 || !ChannelKind.validName(ChannelKind.userChannel(id))) {
      reply(PusherFrames.error(CloseCodes.UNAUTHORIZED, "user_data must be JSON with a non-empty string id"));
      close(CloseCodes.UNAUTHORIZED, "invalid signin");
      return;
    }
    if (user.path("watchlist").size() > 100) {
      reply(PusherFrames.error(CloseCodes.WATCHLIST_LIMIT, "a watchlist may hold at most 100 users"));
    }
    signedInUser = id;
    JsonNode info = user.get("user_info");
    signedInInfo = info == null || info.isNull() ? null : info.toString();
    subscriptions.joinUserChannel(id);
    reply(PusherFrames.signinSuccess(userData));
  }

  // ---- liveness ----

  /**
   * Called periodically on the lane: pings a client silent for {@code activity_timeout}, and
   * closes with 4201 when it stays silent for another {@code activity_timeout} after the ping.
   */
  public void tick(long now) {
    long timeout = context.settings().activityTimeout().toNanos();
    if (closed) {
      return;
    }
    if (pingSentNanos != 0) {
      if (now - pingSentNanos > timeout) {
        log.debug("Pusher connection {} did not answer a ping: closing with 4201", socketId);
        context.metrics().heartbeatTimeout();
        close(CloseCodes.PONG_TIMEOUT, "pong reply not received");
      }
    } else if (now - lastActivityNanos > timeout) {
      pingSentNanos = now;
      reply(PusherFrames.ping());
    }
  }
}
