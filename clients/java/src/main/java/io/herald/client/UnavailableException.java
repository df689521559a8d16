package io.herald.client;

/** 503: in cluster mode the broker did not take the message, so other nodes did not get it. */
public class UnavailableException extends HeraldException {
  public UnavailableException(String message) {
    super(503, message);
  }
}
