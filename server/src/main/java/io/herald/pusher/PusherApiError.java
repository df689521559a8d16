package io.herald.pusher;

/** A Pusher HTTP API request that fails with this status; the message goes to the caller as is. */
final class PusherApiError extends RuntimeException {
  private final int status;

  PusherApiError(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  int status() {
    return status;
  }
}
