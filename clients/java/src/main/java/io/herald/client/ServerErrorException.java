package io.herald.client;

/** A 5xx other than 503: Herald (or a proxy in front of it) failed. */
public class ServerErrorException extends HeraldException {
  public ServerErrorException(int status, String message) {
    super(status, message);
  }
}
