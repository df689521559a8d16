package io.herald.util;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** The one place that sees through the wrappers {@code CompletableFuture} puts around a failure. */
public final class Failures {
  private Failures() {
  }

  /** The failure inside any {@link CompletionException} / {@link ExecutionException} wrapping, or {@code t}. */
  public static Throwable cause(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
