package io.herald.loadtool.coordinator;

import java.time.Duration;
import picocli.CommandLine.Option;

/** Pacing of a timed run: how fast, how long, how big. */
public final class PushOptions {
  @Option(names = "--rate", defaultValue = "100",
      description = "Messages per second (pushes for fanout/broadcast, chat messages for chat); 0 = flat out (default: ${DEFAULT-VALUE}).")
  public double rate;

  @Option(names = "--concurrency", defaultValue = "4", description = "Admin requests in flight (default: ${DEFAULT-VALUE}).")
  public int concurrency;

  @Option(names = {"-d", "--duration"}, defaultValue = "PT10S", description = "Timed window, ISO-8601 (default: ${DEFAULT-VALUE}).")
  public Duration duration;

  @Option(names = "--warmup", defaultValue = "PT3S", description = "Untimed run before the timed window, ISO-8601 (default: ${DEFAULT-VALUE}).")
  public Duration warmup;

  @Option(names = "--payload-bytes", defaultValue = "128", description = "Approximate size of each message's data (default: ${DEFAULT-VALUE}).")
  public int payloadBytes;

  @Option(names = "--intended-time",
      description = "With --rate > 0, time each message from when the schedule meant to send it rather than when it was sent, "
          + "so a server that makes pushes queue up is charged for the wait (corrects coordinated omission).")
  public boolean intendedTime;

  @Option(names = "--drain-timeout", defaultValue = "PT15S",
      description = "How long to wait for outstanding deliveries after sending stops, ISO-8601 (default: ${DEFAULT-VALUE}).")
  public Duration drainTimeout;

  @Option(names = "--push-timeout", defaultValue = "PT30S",
      description = "How long an admin push may go unanswered; past it the push counts as timed out, not failed, "
          + "and as delivered if the clients received it, ISO-8601 (default: ${DEFAULT-VALUE}).")
  public Duration pushTimeout;

  void validate() {
    if (rate < 0) {
      throw new IllegalArgumentException("--rate must be >= 0: " + rate);
    }
    if (duration.isNegative() || duration.isZero() || duration.compareTo(Duration.ofMinutes(30)) > 0) {
      throw new IllegalArgumentException("--duration must be between 0 and 30 minutes: " + duration);
    }
    if (warmup.isNegative() || warmup.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException("--warmup must be between 0 and 10 minutes: " + warmup);
    }
    if (pushTimeout.isNegative() || pushTimeout.isZero() || pushTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException("--push-timeout must be between 0 and 10 minutes: " + pushTimeout);
    }
  }
}
