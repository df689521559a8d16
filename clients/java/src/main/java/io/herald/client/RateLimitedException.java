package io.herald.client;

/** 429: too many requests. */
public class RateLimitedException extends HeraldException {
  public RateLimitedException(String message) {
    super(429, message);
  }
}
