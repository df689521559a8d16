package io.herald.client;

/** 401: no API key, or a wrong one. */
public class UnauthorizedException extends HeraldException {
  public UnauthorizedException(String message) {
    super(401, message);
  }
}
