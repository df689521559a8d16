package io.herald.cli;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.herald.config.Secrets;
import io.herald.config.ServerConfig;
import io.herald.hub.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code herald token <user_id>}: mints an HS256 token with the configured secret, for trying things out. */
@Command(name = "token", mixinStandardHelpOptions = true,
    description = "Print a token for a user, signed with the configured (or generated) JWT secret.")
final class TokenCommand implements Callable<Integer> {
  @Mixin
  ConfigOptions options = new ConfigOptions();

  @Parameters(index = "0", paramLabel = "USER_ID", description = "The user the token is for (the sub claim).")
  String userId;

  @Option(names = "--ttl", defaultValue = "24h", description = "Lifetime, e.g. 15m, 24h (default: ${DEFAULT-VALUE}).")
  String ttl;

  @Option(names = "--channels", split = ",", paramLabel = "GLOB",
      description = "Private channels the token may join, comma-separated globs (e.g. private-team-*).")
  List<String> channels;

  @Override
  public Integer call() throws JOSEException {
    UserId id;
    try {
      id = UserId.of(userId);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    ServerConfig config = options.load(Secrets::inFolder);
    byte[] secret = config.auth().jwtSecret();
    if (secret == null) {
      throw new UsageException("no jwt.secret is configured: tokens for RS/ES keys come from your own issuer");
    }
    Instant now = Instant.now();
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
        .subject(id.value())
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(parseTtl(ttl))));
    if (channels != null && !channels.isEmpty()) {
      claims.claim("channels", channels);
    }
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
    jwt.sign(new MACSigner(secret.length >= 32 ? secret : Arrays.copyOf(secret, 64)));
    System.out.println(jwt.serialize());
    return Cli.EXIT_OK;
  }

  private static Duration parseTtl(String ttl) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(s|m|h|d)").matcher(ttl);
    if (!m.matches()) {
      throw new UsageException("--ttl must look like 30s, 15m, 24h or 7d: " + ttl);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}
