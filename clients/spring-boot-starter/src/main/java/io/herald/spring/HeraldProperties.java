package io.herald.spring;

import io.herald.client.ClientSettings;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code herald.*}: how the application reaches Herald. {@code herald.mode=remote} (the default when
 * {@code herald.url} is set) pushes through a {@code HeraldClient}; {@code herald.mode=embedded}
 * starts a Herald server in the application's process, configured by {@code herald.server.*}
 * (any key of Herald's configuration, e.g. {@code herald.server.port=5200},
 * {@code herald.server.jwt.secret=…}).
 */
@ConfigurationProperties("herald")
public class HeraldProperties {
  public enum Mode { REMOTE, EMBEDDED }

  /** remote or embedded; unset means remote when {@code herald.url} is set, else embedded. */
  private Mode mode;
  /** Herald's base URL, e.g. http://127.0.0.1:5200 (remote mode). */
  private URI url;
  /** The admin API key, HERALD_API_KEY of the server (remote mode). */
  private String apiKey;
  /** The HS256 secret, HERALD_JWT_SECRET of the server: set it to get a HeraldTokens bean. */
  private String jwtSecret;
  private Duration connectTimeout = ClientSettings.DEFAULT_CONNECT_TIMEOUT;
  private Duration requestTimeout = ClientSettings.DEFAULT_REQUEST_TIMEOUT;
  private int maxAttempts = ClientSettings.DEFAULT_MAX_ATTEMPTS;
  private Duration retryBackoff = ClientSettings.DEFAULT_RETRY_BACKOFF;
  private boolean idempotencyKeys = true;
  private int maxBatch = ClientSettings.DEFAULT_MAX_BATCH;
  /** Herald's own configuration keys for the embedded server (herald.server.port, …). */
  private Map<String, String> server = new LinkedHashMap<>();

  public Mode effectiveMode() {
    return mode != null ? mode : url != null ? Mode.REMOTE : Mode.EMBEDDED;
  }

  public ClientSettings clientSettings() {
    if (url == null) {
      throw new IllegalArgumentException("herald.url must be set in remote mode");
    }
    return new ClientSettings(url, apiKey, connectTimeout, requestTimeout, maxAttempts, retryBackoff,
        idempotencyKeys, maxBatch);
  }

  public Mode getMode() {
    return mode;
  }

  public void setMode(Mode mode) {
    this.mode = mode;
  }

  public URI getUrl() {
    return url;
  }

  public void setUrl(URI url) {
    this.url = url;
  }

  public String getApiKey() {
    return apiKey;
  }

  public void setApiKey(String apiKey) {
    this.apiKey = apiKey;
  }

  public String getJwtSecret() {
    return jwtSecret;
  }

  public void setJwtSecret(String jwtSecret) {
    this.jwtSecret = jwtSecret;
  }

  public Duration getConnectTimeout() {
    return connectTimeout;
  }

  public void setConnectTimeout(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  public Duration getRequestTimeout() {
    return requestTimeout;
  }

  public void setRequestTimeout(Duration requestTimeout) {
    this.requestTimeout = requestTimeout;
  }

  public int getMaxAttempts() {
    return maxAttempts;
  }

  public void setMaxAttempts(int maxAttempts) {
    this.maxAttempts = maxAttempts;
  }

  public Duration getRetryBackoff() {
    return retryBackoff;
  }

  public void setRetryBackoff(Duration retryBackoff) {
    this.retryBackoff = retryBackoff;
  }

  public boolean isIdempotencyKeys() {
    return idempotencyKeys;
  }

  public void setIdempotencyKeys(boolean idempotencyKeys) {
    this.idempotencyKeys = idempotencyKeys;
  }

  public int getMaxBatch() {
    return maxBatch;
  }

  public void setMaxBatch(int maxBatch) {
    this.maxBatch = maxBatch;
  }

  public Map<String, String> getServer() {
    return server;
  }

  public void setServer(Map<String, String> server) {
    this.server = server;
  }
}
