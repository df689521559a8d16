package io.herald.client;

/** 422: a field is missing or ill-typed; the message names the field. */
public class ValidationException extends HeraldException {
  public ValidationException(String message) {
    super(422, message);
  }
}
