package io.herald.client;

/** 404: no such endpoint (an older Herald that lacks it). */
public class NotFoundException extends HeraldException {
  public NotFoundException(String message) {
    super(404, message);
  }
}
