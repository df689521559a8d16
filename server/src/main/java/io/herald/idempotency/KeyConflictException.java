package io.herald.idempotency;

/**
 * A keyed request that cannot be answered: its key is still held by a running request
 * ({@link #BUSY}, HTTP 409) or was used for another path ({@link #OTHER_REQUEST}, HTTP 422).
 */
public final class KeyConflictException extends RuntimeException {
  public static final int BUSY = 409;
  public static final int OTHER_REQUEST = 422;

  private final int status;

  public KeyConflictException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
