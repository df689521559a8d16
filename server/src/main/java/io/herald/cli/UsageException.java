package io.herald.cli;

/** A command used wrongly; exits with code 2 and the message. */
public final class UsageException extends RuntimeException {
  public UsageException(String message) {
    super(message);
  }
}
