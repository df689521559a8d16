package io.herald.history;

import io.herald.auth.Glob;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Which streams keep history and how much: per stream kind, and for channels per name pattern
 * (first matching rule wins; size 0 turns history off for those channels).
 *
 * @param enabled false turns history off everywhere (frames then carry no offsets)
 * @param user rule of every user's stream
 * @param all rule of the all-users stream
 * @param channel rule of channels no pattern matches
 * @param channelRules patterns tried in order before {@code channel}
 * @param maxBytes memory history only: bytes of kept frames over all streams
 * @param metaTtl how long a stream's epoch and last offset outlive its last message, so a
 *     client that was away longer than {@code ttl} still learns whether it missed anything
 * @param recoveryBuffer live messages held per stream while a connection's replay is read;
 *     past this the connection is told {@code recovered: false}
 */
public record Retention(boolean enabled, Rule user, Rule all, Rule channel, List<ChannelRule> channelRules,
                        long maxBytes, Duration metaTtl, int recoveryBuffer) {

  public static final int DEFAULT_SIZE = 100;
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(2);
  public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;
  public static final Duration DEFAULT_META_TTL = Duration.ofHours(24);
  public static final int DEFAULT_RECOVERY_BUFFER = 1000;

  /** Keep the last {@code size} messages for {@code ttl}; size 0 keeps none. */
  public record Rule(int size, Duration ttl) {
    public static final Rule OFF = new Rule(0, Duration.ZERO);

    public Rule {
      if (size < 0) {
        throw new IllegalArgumentException("history size must not be negative: " + size);
      }
      Objects.requireNonNull(ttl, "ttl");
      if (size > 0 && (ttl.isNegative() || ttl.isZero())) {
        throw new IllegalArgumentException("history ttl must be positive: " + ttl);
      }
    }

    public boolean on() {
      return size > 0;
    }
  }

  /** Channels whose name matches {@code glob} ({@code *}, {@code ?}) follow {@code rule}. */
  public record ChannelRule(String glob, Rule rule) {
  }

  public Retention {
    channelRules = List.copyOf(channelRules);
    if (maxBytes < 1) {
      throw new IllegalArgumentException("history maxBytes must be positive: " + maxBytes);
    }
    if (recoveryBuffer < 1) {
      throw new IllegalArgumentException("history recoveryBuffer must be at least 1: " + recoveryBuffer);
    }
  }

  public static Retention defaults() {
    Rule rule = new Rule(DEFAULT_SIZE, DEFAULT_TTL);
    return new Retention(true, rule, rule, rule, List.of(), DEFAULT_MAX_BYTES, DEFAULT_META_TTL,
        DEFAULT_RECOVERY_BUFFER);
  }

  public static Retention off() {
    return new Retention(false, Rule.OFF, Rule.OFF, Rule.OFF, List.of(), DEFAULT_MAX_BYTES,
        DEFAULT_META_TTL, DEFAULT_RECOVERY_BUFFER);
  }

  /** The rule of a stream; {@link Rule#OFF} when it keeps no history. */
  public Rule of(StreamId stream) {
    if (!enabled) {
      return Rule.OFF;
    }
    return switch (stream.kind()) {
      case USER -> user;
      case ALL -> all;
      case CHANNEL -> channelRule(stream.name());
    };
  }

  public boolean keeps(StreamId stream) {
    return of(stream).on();
  }

  private Rule channelRule(String name) {
    for (ChannelRule r : channelRules) {
      if (Glob.matches(r.glob(), name)) {
        return r.rule();
      }
    }
    return channel;
  }

  /**
   * Parses {@code history.channel.rules}: comma-separated {@code glob=size} or
   * {@code glob=size/ttl} entries ({@code chat:*=500/10m, noisy:*=0}); a rule without a ttl
   * takes {@code defaultTtl}. Throws naming the bad entry.
   */
  public static List<ChannelRule> parseRules(String text, Duration defaultTtl,
                                             java.util.function.Function<String, Duration> durations) {
    List<ChannelRule> rules = new java.util.ArrayList<>();
    if (text == null || text.isBlank()) {
      return rules;
    }
    for (String part : text.split(",")) {
      String entry = part.trim();
      int eq = entry.indexOf('=');
      if (eq <= 0 || eq == entry.length() - 1) {
        throw new IllegalArgumentException("must be glob=size or glob=size/ttl entries: \"" + entry + '"');
      }
      String glob = entry.substring(0, eq).trim();
      String[] spec = entry.substring(eq + 1).trim().split("/", 2);
      int size;
      try {
        size = Integer.parseInt(spec[0].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("size must be a whole number in \"" + entry + '"');
      }
      Duration ttl = spec.length == 2 ? durations.apply(spec[1].trim()) : defaultTtl;
      rules.add(new ChannelRule(glob, size == 0 ? Rule.OFF : new Rule(size, ttl)));
    }
    return rules;
  }
}
