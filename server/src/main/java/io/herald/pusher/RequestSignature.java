package io.herald.pusher;

import io.herald.config.ServerConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Checks a Pusher HTTP API request's signature: {@code auth_key} is the app's key,
 * {@code auth_timestamp} within the window, {@code body_md5} matches a non-empty body, and
 * {@code auth_signature} is the HMAC of the method, the path as the SDK signed it (from
 * {@code /apps/}: a proxy or a client's {@code path} option may put a prefix in front) and the
 * sorted query. Any failure is a 401 naming what was wrong.
 */
final class RequestSignature {
  private final Clock clock;
  private final Duration window;

  RequestSignature(Clock clock, Duration window) {
    this.clock = clock;
    this.window = window;
  }

  void verify(ServerConfig.PusherApp app, String method, String signedPath, Map<String, String> query, byte[] body) {
    String key = query.get("auth_key");
    if (key == null || !Signatures.equal(key, app.key())) {
      throw new PusherApiError(401, "auth_key is missing or is not the key of app " + app.id());
    }
    String ts = query.get("auth_timestamp");
    long seconds;
    try {
      seconds = Long.parseLong(ts);
    } catch (NumberFormatException e) {
      throw new PusherApiError(401, "auth_timestamp must be Unix seconds: \"" + ts + '"');
    }
    long skew = Math.abs(clock.instant().getEpochSecond() - seconds);
    if (skew > window.toSeconds()) {
      throw new PusherApiError(401, "auth_timestamp is " + skew + " s from the server clock; at most "
          + window.toSeconds() + " s allowed (check the clock)");
    }
    String version = query.get("auth_version");
    if (version != null && !version.equals("1.0")) {
      throw new PusherApiError(401, "auth_version must be 1.0: \"" + version + '"');
    }
    if (body.length > 0) {
      String md5 = query.get("body_md5");
      if (md5 == null) {
        throw new PusherApiError(401, "body_md5 is required with a request body");
      }
      if (!Signatures.equal(md5.toLowerCase(java.util.Locale.ROOT), Signatures.md5(body))) {
        throw new PusherApiError(401, "body_md5 does not match the body");
      }
    }
    String expected = Signatures.hmac(app.secret(), Signatures.requestText(method, signedPath, query));
    if (!Signatures.equal(query.get("auth_signature"), expected)) {
      throw new PusherApiError(401, "Invalid signature: expected HMAC SHA256 hex digest of \""
          + Signatures.requestText(method, signedPath, query).replace("\n", "\\n") + '"');
    }
  }
}
