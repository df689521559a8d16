package io.herald.client;

/** 409: the Idempotency-Key was already used for a different request. */
public class ConflictException extends HeraldException {
  public ConflictException(String message) {
    super(409, message);
  }
}
