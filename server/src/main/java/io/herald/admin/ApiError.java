package io.herald.admin;

/** An admin request that fails; rendered as {@code {"code":status,"message":…,"data":null}}. */
public final class ApiError extends RuntimeException {
  private final int status;

  public ApiError(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
