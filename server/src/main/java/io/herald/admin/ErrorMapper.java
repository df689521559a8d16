package io.herald.admin;

import io.herald.broker.BrokerUnavailableException;
import io.herald.idempotency.KeyConflictException;
import io.herald.util.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns a failed admin request into its HTTP answer, by the failure's type:
 * {@link ApiError} is the caller's mistake and carries its status; {@link IllegalArgumentException}
 * is a value the hub refused (422); {@link KeyConflictException} an {@code Idempotency-Key} held by a
 * running request (409) or used for another path (422); {@link BrokerUnavailableException} is a cluster outage (503,
 * with what the outage cost this call); anything else is a bug in Herald: 500, a log line with the
 * stack trace, and nothing of it for the caller.
 */
final class ErrorMapper {
  private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);

  private ErrorMapper() {
  }

  /**
   * The answer to {@code failure} on {@code path}; {@code outage} says what a broker outage meant
   * for this endpoint (e.g. "the message was not delivered to other nodes").
   */
  static AdminApi.Response response(Throwable failure, String path, String outage) {
    Throwable cause = Failures.cause(failure);
    if (cause instanceof ApiError e) {
      return new AdminApi.Response(e.status(), AdminApi.render(e.status(), e.getMessage(), null), e.allow());
    }
    if (cause instanceof KeyConflictException e) {
      return new AdminApi.Response(e.status(), AdminApi.render(e.status(), e.getMessage(), null), null);
    }
    if (cause instanceof IllegalArgumentException e) {
      return new AdminApi.Response(422, AdminApi.render(422, e.getMessage(), null), null);
    }
    if (cause instanceof BrokerUnavailableException e) {
      log.warn("admin {} failed: {}", path, e.getMessage());
      return new AdminApi.Response(503, AdminApi.render(503, "cluster broker unavailable: " + outage, null), null);
    }
    log.error("admin {} failed", path, cause);
    return internalError();
  }

  /** The 500 answer; rendered without Jackson's help, so it cannot fail itself. */
  static AdminApi.Response internalError() {
    return new AdminApi.Response(500, INTERNAL_ERROR.clone(), null);
  }

  private static final byte[] INTERNAL_ERROR =
      "{\"code\":500,\"message\":\"internal error\",\"data\":null}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
}
