package io.herald.pusher;

import io.herald.config.ServerConfig;

/**
 * Whether a WebSocket on {@code /app/{key}} may become a Pusher connection: a known, enabled app
 * under its connection quota (on this node), speaking protocol 5 to 7.
 */
public final class PusherGate {
  static final int MIN_PROTOCOL = 5;
  static final int MAX_PROTOCOL = 7;

  /** The app when admitted; else the close code and message. */
  public record Verdict(ServerConfig.PusherApp app, int code, String message) {
    public boolean refused() {
      return app == null;
    }
  }

  private PusherGate() {
  }

  public static Verdict admit(PusherContext context, String key, String protocol) {
    ServerConfig.PusherApp app = context.apps().byKey(key).orElse(null);
    if (app == null) {
      return refuse(CloseCodes.APP_NOT_FOUND, "App key " + PusherApi.clip(key) + " not in this cluster. Did you forget to specify the cluster?");
    }
    if (!app.enabled()) {
      return refuse(CloseCodes.APP_DISABLED, "Application disabled");
    }
    if (protocol == null || protocol.isEmpty()) {
      return refuse(CloseCodes.NO_PROTOCOL, "No protocol version supplied: connect with ?protocol=7");
    }
    int version;
    try {
      version = Integer.parseInt(protocol);
    } catch (NumberFormatException e) {
      version = -1;
    }
    if (version < MIN_PROTOCOL || version > MAX_PROTOCOL) {
      return refuse(CloseCodes.UNSUPPORTED_PROTOCOL, "Unsupported protocol version " + PusherApi.clip(protocol)
          + ": " + MIN_PROTOCOL + " to " + MAX_PROTOCOL + " are supported");
    }
    if (app.maxConnections() > 0 && context.apps().connections(app) >= app.maxConnections()) {
      return refuse(CloseCodes.OVER_CONNECTION_QUOTA, "Application is over connection quota");
    }
    return new Verdict(app, 0, null);
  }

  private static Verdict refuse(int code, String message) {
    return new Verdict(null, code, message);
  }
}
