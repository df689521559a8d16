package io.herald.client;

/** Herald could not be reached, or the connection broke before an answer (after every allowed attempt). */
public class HeraldConnectionException extends HeraldException {
  public HeraldConnectionException(String message, Throwable cause) {
    super(0, message, cause);
  }
}
