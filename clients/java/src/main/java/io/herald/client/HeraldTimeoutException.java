package io.herald.client;

/** No answer within the request timeout (after every allowed attempt). */
public class HeraldTimeoutException extends HeraldException {
  public HeraldTimeoutException(String message, Throwable cause) {
    super(0, message, cause);
  }
}
