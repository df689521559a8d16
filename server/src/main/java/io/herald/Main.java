package io.herald;

import io.herald.cli.Cli;

/** {@code java -jar herald.jar <command>}: see {@link Cli}. */
public final class Main {
  private Main() {
  }

  public static void main(String[] args) {
    System.exit(Cli.run(args));
  }
}
