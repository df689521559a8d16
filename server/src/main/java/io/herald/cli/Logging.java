package io.herald.cli;

import io.herald.config.ServerConfig;

/** Points Logback at the configured folder and level; must run before the first logger is made. */
final class Logging {
  private Logging() {
  }

  static void configure(ServerConfig config) {
    System.setProperty("herald.log.dir", config.logging().dir().toString());
    System.setProperty("herald.log.level", config.logging().level().toUpperCase(java.util.Locale.ROOT));
  }
}
