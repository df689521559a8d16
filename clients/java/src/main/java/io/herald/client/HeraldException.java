package io.herald.client;

/**
 * A call to Herald's admin API failed. {@link #status()} is the HTTP status of Herald's error
 * envelope ({@code {"code","message","data":null}}) and {@link #getMessage()} its message; it is
 * {@code 0} when no answer arrived ({@link HeraldTimeoutException}, {@link HeraldConnectionException}).
 * Each status Herald documents has its own subclass, so callers catch what they can handle:
 *
 * <pre>{@code
 * try { client.sendToUser(id, "order", order).toCompletableFuture().join(); }
 * catch (CompletionException e) { if (e.getCause() instanceof ValidationException v) … }
 * }</pre>
 */
public class HeraldException extends RuntimeException {
  private final int status;

  public HeraldException(int status, String message) {
    super(message);
    this.status = status;
  }

  public HeraldException(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The HTTP status of Herald's answer, or 0 when none arrived. */
  public int status() {
    return status;
  }

  /** The exception for an error envelope: one subclass per documented status. */
  public static HeraldException of(int status, String message) {
    return switch (status) {
      case 400 -> new BadRequestException(message);
      case 401 -> new UnauthorizedException(message);
      case 404 -> new NotFoundException(message);
      case 405 -> new MethodNotAllowedException(message);
      case 409 -> new ConflictException(message);
      case 413 -> new PayloadTooLargeException(message);
      case 422 -> new ValidationException(message);
      case 429 -> new RateLimitedException(message);
      case 503 -> new UnavailableException(message);
      default -> status >= 500 ? new ServerErrorException(status, message) : new HeraldException(status, message);
    };
  }
}
