package io.herald.transport;

import io.herald.config.ConfigKey;
import io.herald.config.ConfigException;
import io.herald.config.ServerConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import javax.net.ssl.SSLException;

/** Builds the server's {@link SslContext} from the configured PEM files (Netty reads PEM itself). */
public final class TlsContexts {
  private TlsContexts() {
  }

  /** The context for {@code tls}, or null when TLS is off; throws when the files do not make one. */
  public static SslContext forServer(ServerConfig.Tls tls) {
    if (!tls.enabled()) {
      return null;
    }
    try {
      return SslContextBuilder.forServer(tls.cert().toFile(), tls.key().toFile()).build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new ConfigException("cannot use " + ConfigKey.TLS_CERT.key() + " " + tls.cert() + " with "
          + ConfigKey.TLS_KEY.key() + " " + tls.key() + " (PEM certificate chain and unencrypted PKCS#8 key expected): "
          + rootMessage(e));
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
