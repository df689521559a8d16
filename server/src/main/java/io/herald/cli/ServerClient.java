package io.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.admin.AdminApi;
import io.herald.config.ServerConfig;
import io.herald.protocol.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Talks HTTP to a running Herald for the CLI: {@code /health} for status and reload, the admin API
 * for the admin commands. Reaches the configured port on loopback when the server binds every
 * address. With TLS configured it speaks https. Admin calls, which carry the API key, trust the
 * configured certificate itself (so a self-signed or internal certificate works on 127.0.0.1),
 * else the JDK's usual authorities. {@code /health} carries nothing secret and accepts whatever
 * certificate the server presents: during a certificate reload, the server still serves the old
 * certificate while the file already holds the new one.
 */
final class ServerClient {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

  /** An admin call answered with an error envelope. */
  static final class AdminFailure extends RuntimeException {
    final int status;

    AdminFailure(int status, String message) {
      super(status + " " + message);
      this.status = status;
    }
  }

  private final URI base;
  private final URI adminBase;
  private final String apiKey;
  private final HttpClient http;
  private final HttpClient probe;

  private ServerClient(URI base, URI adminBase, String apiKey, HttpClient http, HttpClient probe) {
    this.base = base;
    this.adminBase = adminBase;
    this.apiKey = apiKey;
    this.http = http;
    this.probe = probe;
  }

  /** A client for the server that {@code config} describes; {@code url} (may be null) overrides the address. */
  static ServerClient of(ServerConfig config, String url) {
    String scheme = config.tls().enabled() ? "https" : "http";
    String host = localHost(config.host());
    URI base = url != null ? URI.create(url.replaceAll("/+$", ""))
        : URI.create(scheme + "://" + host + ":" + config.port());
    URI adminBase = url != null || config.api().port() == 0 ? base
        : URI.create(scheme + "://" + host + ":" + config.api().port());
    HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER);
    HttpClient.Builder probe = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER);
    if (config.tls().enabled()) {
      http.sslContext(trusting(config.tls()));
      probe.sslContext(acceptingAny());
    }
    return new ServerClient(base, adminBase, config.api().key(), http.build(), probe.build());
  }

  private static String localHost(String bind) {
    if (bind.isEmpty() || bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]")) {
      return "127.0.0.1";
    }
    return bind.contains(":") && !bind.startsWith("[") ? "[" + bind + "]" : bind;
  }

  URI base() {
    return base;
  }

  /** {@code GET /health}'s data; throws IOException when nothing answers. */
  JsonNode health() throws IOException {
    HttpRequest req = HttpRequest.newBuilder(base.resolve("/health")).timeout(REQUEST_TIMEOUT).GET().build();
    JsonNode envelope = send(probe, req);
    return envelope.path("data");
  }

  /** Whether anything at all accepts TCP connections on the configured address. */
  boolean portTaken() {
    try (Socket s = new Socket()) {
      s.connect(new java.net.InetSocketAddress(base.getHost().replace("[", "").replace("]", ""), base.getPort()), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Calls an admin endpoint ({@code body} null for GET) and returns the envelope's data. */
  JsonNode admin(String endpoint, Object body) throws IOException {
    HttpRequest.Builder req = HttpRequest.newBuilder(adminBase.resolve(AdminApi.PREFIX + endpoint))
        .timeout(REQUEST_TIMEOUT)
        .header("Authorization", "Bearer " + apiKey)
        .header("Content-Type", "application/json");
    if (body == null) {
      req.GET();
    } else {
      req.POST(HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(body)));
    }
    JsonNode envelope = send(http, req.build());
    int code = envelope.path("code").asInt(0);
    if (code != 200) {
      throw new AdminFailure(code, envelope.path("message").asText(""));
    }
    return envelope.path("data");
  }

  private static JsonNode send(HttpClient http, HttpRequest req) throws IOException {
    HttpResponse<byte[]> res;
    try {
      res = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ConnectException e) {
      throw new ConnectException("nothing answers on " + req.uri().resolve("/") + " (connection refused)");
    }
    try {
      return Json.MAPPER.readTree(res.body());
    } catch (IOException e) {
      throw new IOException(req.uri() + " answered " + res.statusCode() + " with a body that is not Herald's JSON");
    }
  }

  /** For {@code /health} only: no credential is sent, so any certificate will do. */
  private static SSLContext acceptingAny() {
    try {
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, new TrustManager[] {new PinnedTrustManager(null, null)}, null);
      return ssl;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no TLS in this JVM", e);
    }
  }

  /** Trusts the configured certificate(s) as they are, else what the JDK trusts. */
  private static SSLContext trusting(ServerConfig.Tls tls) {
    try {
      Collection<? extends Certificate> pinned;
      try (InputStream in = Files.newInputStream(tls.cert())) {
        pinned = CertificateFactory.getInstance("X.509").generateCertificates(in);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init((KeyStore) null);
      X509ExtendedTrustManager system = null;
      for (TrustManager tm : tmf.getTrustManagers()) {
        if (tm instanceof X509ExtendedTrustManager x) {
          system = x;
        }
      }
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, new TrustManager[] {new PinnedTrustManager(pinned, system)}, null);
      return ssl;
    } catch (IOException | GeneralSecurityException e) {
      throw new UsageException("cannot read tls.cert " + tls.cert() + ": " + e.getMessage());
    }
  }

  /** Accepts a server whose certificate is one of {@code pinned}, else asks {@code system}; both null accept any. */
  private static final class PinnedTrustManager extends X509ExtendedTrustManager {
    private final Collection<? extends Certificate> pinned;
    private final X509ExtendedTrustManager system;

    PinnedTrustManager(Collection<? extends Certificate> pinned, X509ExtendedTrustManager system) {
      this.pinned = pinned;
      this.system = system;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      if (!accepted(chain)) {
        system.checkServerTrusted(chain, authType, engine);
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      if (!accepted(chain)) {
        system.checkServerTrusted(chain, authType, socket);
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      if (!accepted(chain)) {
        system.checkServerTrusted(chain, authType);
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("client side only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("client side only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("client side only");
    }

    private boolean accepted(X509Certificate[] chain) {
      return system == null || (chain.length > 0 && pinned.contains(chain[0]));
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return system == null ? new X509Certificate[0] : system.getAcceptedIssuers();
    }
  }
}
