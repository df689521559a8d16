package io.herald.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A JWKS on loopback (a JDK HttpServer at {@link #url()}) publishing one RSA key, {@code kid}
 * {@value #KID}, and the tokens it verifies. It can be made to fail the ways a real one does:
 * answer 500, answer something that is not a JWKS, answer too late, or be stopped (connection
 * refused) and started again on the same port.
 */
public final class JwksEndpoint implements AutoCloseable {
  public static final String KID = "herald-test-1";

  /** How {@code GET /jwks.json} is answered. */
  public enum Answer { JWKS, ERROR_500, NOT_A_JWKS, NEVER }

  private static final RSAKey KEY = generate(KID);
  private static final RSAKey OTHER_KEY = generate("not-published");

  private final int port;
  private final AtomicInteger fetches = new AtomicInteger();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "jwks-endpoint");
    t.setDaemon(true);
    return t;
  });
  private volatile Answer answer = Answer.JWKS;
  private HttpServer server;

  public JwksEndpoint() {
    server = bind(0);
    port = server.getAddress().getPort();
  }

  public String url() {
    return "http://127.0.0.1:" + port + "/jwks.json";
  }

  public void answer(Answer answer) {
    this.answer = answer;
  }

  /** Requests received so far (nimbus retries a failed fetch once, so a failing fetch counts 2). */
  public int fetches() {
    return fetches.get();
  }

  /** Stops listening: fetches are refused until {@link #start()}. */
  public synchronized void stop() {
    server.stop(0);
  }

  /** Listens again, on the same port. */
  public synchronized void start() {
    server = bind(port);
  }

  /** RS256, signed with the published key, {@code kid} set, valid for an hour. */
  public static String token(String sub) {
    return token(sub, b -> { });
  }

  /** As {@link #token(String)}, with more claims. */
  public static String token(String sub, Consumer<JWTClaimsSet.Builder> claims) {
    return sign(KEY, sub, claims);
  }

  /** RS256 with a {@code kid} the JWKS does not publish (signed with that other key). */
  public static String tokenOfAnUnpublishedKey(String sub) {
    return sign(OTHER_KEY, sub, b -> { });
  }

  private static String sign(RSAKey key, String sub, Consumer<JWTClaimsSet.Builder> claims) {
    JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().subject(sub)
        .expirationTime(Date.from(Instant.now().plus(Duration.ofHours(1))));
    claims.accept(b);
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), b.build());
    try {
      jwt.sign(new RSASSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  private HttpServer bind(int port) {
    try {
      HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
      s.setExecutor(threads);
      s.createContext("/jwks.json", this::serve);
      s.start();
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void serve(HttpExchange ex) throws IOException {
    try (ex) {
      fetches.incrementAndGet();
      switch (answer) {
        case JWKS -> reply(ex, 200, new JWKSet(KEY.toPublicJWK()).toString());
        case ERROR_500 -> reply(ex, 500, "<html>upstream down</html>");
        case NOT_A_JWKS -> reply(ex, 200, "<html>maintenance</html>");
        case NEVER -> await();
        default -> throw new IllegalStateException(answer.toString());
      }
    }
  }

  private void await() {
    try {
      closed.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void reply(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static RSAKey generate(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public synchronized void close() {
    closed.countDown();
    server.stop(0);
    threads.shutdownNow();
  }
}
