package io.herald.client;

/** 413: the body is larger than Herald's {@code api.max_body_bytes}. */
public class PayloadTooLargeException extends HeraldException {
  public PayloadTooLargeException(String message) {
    super(413, message);
  }
}
