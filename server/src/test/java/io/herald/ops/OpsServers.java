package io.herald.ops;

import io.herald.config.ServerConfig;
import io.herald.testing.TestTransport;

/** Configurations for in-process servers in the operations tests: loopback, a free port, known keys. */
public final class OpsServers {
  public static final String SECRET = "operations-test-secret-0123456789abcdef";
  public static final String API_KEY = "operations-test-key";

  private OpsServers() {
  }

  public static ServerConfig.Builder config() {
    return ServerConfig.builder()
        .set("host", "127.0.0.1")
        .set("port", 0)
        .set("jwt.secret", SECRET)
        .set("api.key", API_KEY)
        .set("transport", TestTransport.requested())
        .set("shutdown.drain_timeout", "5s");
  }
}
