package io.herald.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** The pages and assets bundled in the jar under {@code web/}, read once and kept in memory. */
final class StaticPages {
  /** A bundled file: its bytes and content type. */
  record Page(byte[] body, String contentType) {
  }

  private static final Pattern ASSET = Pattern.compile("/assets/[A-Za-z0-9._-]{1,100}");
  private static final Map<String, String> ROUTES = Map.of(
      "/demo", "web/demo.html",
      "/dashboard", "web/dashboard.html",
      "/websocket.js", "web/websocket.js",
      "/websocket.d.ts", "web/websocket.d.ts");

  private final Map<String, Optional<Page>> cache = new ConcurrentHashMap<>();

  Optional<Page> find(String path) {
    String resource = ROUTES.get(path);
    if (resource == null && ASSET.matcher(path).matches() && !path.contains("..")) {
      resource = "web" + path;
    }
    if (resource == null) {
      return Optional.empty();
    }
    return cache.computeIfAbsent(resource, StaticPages::load);
  }

  private static Optional<Page> load(String resource) {
    try (InputStream in = StaticPages.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        return Optional.empty();
      }
      return Optional.of(new Page(in.readAllBytes(), contentType(resource)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read bundled " + resource, e);
    }
  }

  private static String contentType(String name) {
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot + 1);
    return switch (ext) {
      case "html" -> "text/html; charset=utf-8";
      case "js", "mjs" -> "text/javascript; charset=utf-8";
      case "ts" -> "text/plain; charset=utf-8";
      case "css" -> "text/css; charset=utf-8";
      case "svg" -> "image/svg+xml";
      case "png" -> "image/png";
      case "ico" -> "image/x-icon";
      case "json" -> "application/json";
      default -> "application/octet-stream";
    };
  }
}
