package io.herald.auth;

import java.net.URI;
import java.time.Duration;

/**
 * {@code auth.proxy.*}: where and how Herald asks the application about tokens and private
 * channels (docs/auth-proxy.md).
 *
 * @param connectUrl POSTed {@code {"token","user_id","remote_addr"}} per connection; null means off
 * @param subscribeUrl POSTed {@code {"user_id","channel"}} per private subscription; null means off
 * @param timeout the longest wait for the application's answer (connect and response)
 * @param cacheTtl how long an answer (yes or no) is reused for the same token or user and channel
 * @param cacheSize the most answers kept
 * @param maxBodyBytes the largest answer read; a larger one is a failure (1013)
 * @param key sent as {@code Authorization: Bearer <key>} so the application knows the call is
 *     Herald's; null sends no header
 */
public record ProxySettings(URI connectUrl, URI subscribeUrl, Duration timeout, Duration cacheTtl, int cacheSize,
                            int maxBodyBytes, String key) {
  public boolean connectEnabled() {
    return connectUrl != null;
  }

  public boolean subscribeEnabled() {
    return subscribeUrl != null;
  }

  @Override
  public String toString() {
    return "ProxySettings[connectUrl=" + connectUrl + ", subscribeUrl=" + subscribeUrl + ", timeout=" + timeout
        + ", cacheTtl=" + cacheTtl + ", cacheSize=" + cacheSize + ", maxBodyBytes=" + maxBodyBytes + ", key="
        + (key == null ? "none" : "<set>") + "]";
  }
}
