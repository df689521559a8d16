package io.herald.cli;

import io.herald.config.ServerConfig;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/** Points Logback at the configured folder and level; {@link #configure} must run before the first logger is made. */
final class Logging {
  /** {@code -Dherald.console.level=OFF} on a daemon's JVM: its console is a file, the log file has it all. */
  static final String CONSOLE_LEVEL_PROPERTY = "herald.console.level";

  private Logging() {
  }

  static void configure(ServerConfig config) {
    System.setProperty("herald.log.dir", config.logging().dir().toString());
    System.setProperty("herald.log.level", config.logging().level().toUpperCase(Locale.ROOT));
  }

  /** Changes the level of Herald's loggers in the running process (a reload). */
  static void level(String level) {
    if (LoggerFactory.getLogger("io.herald") instanceof ch.qos.logback.classic.Logger logger) {
      logger.setLevel(ch.qos.logback.classic.Level.toLevel(level.toUpperCase(Locale.ROOT)));
    }
  }

  /** Flushes the asynchronous file appender; the last step of a stop. */
  static void stop() {
    if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
      context.stop();
    }
  }
}
