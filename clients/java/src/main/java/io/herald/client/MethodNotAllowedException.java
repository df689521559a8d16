package io.herald.client;

/** 405: wrong HTTP method for the endpoint. */
public class MethodNotAllowedException extends HeraldException {
  public MethodNotAllowedException(String message) {
    super(405, message);
  }
}
