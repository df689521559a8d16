package io.herald.admin;

/**
 * An admin request that fails; rendered as {@code {"code":status,"message":…,"data":null}}. A 405
 * carries the method to put in the {@code Allow} header.
 */
public final class ApiError extends RuntimeException {
  private final int status;
  private final String allow;

  public ApiError(int status, String message) {
    this(status, message, null);
  }

  private ApiError(int status, String message, String allow) {
    super(message, null, false, false);
    this.status = status;
    this.allow = allow;
  }

  /** A 405 naming the one method the endpoint takes. */
  public static ApiError methodNotAllowed(String allow, String message) {
    return new ApiError(405, message, allow);
  }

  public int status() {
    return status;
  }

  /** The {@code Allow} header of a 405, or null. */
  public String allow() {
    return allow;
  }
}
