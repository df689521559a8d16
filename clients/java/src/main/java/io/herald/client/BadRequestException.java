package io.herald.client;

/** 400: the body was not a JSON object (a bug in the caller or in this client). */
public class BadRequestException extends HeraldException {
  public BadRequestException(String message) {
    super(400, message);
  }
}
