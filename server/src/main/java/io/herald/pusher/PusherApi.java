package io.herald.pusher;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.broker.BrokerUnavailableException;
import io.herald.config.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Pusher HTTP API under {@code /apps/{id}/}: events, batch_events, channels, one channel, its
 * users, and terminate_connections. Transport-free: a method, path, query and body in, a status
 * and JSON body out. Success is 200 with a JSON object ({@code {}} when there is nothing to say),
 * exactly what the Pusher server SDKs expect; failures are 400/401/403/404/413 (and 503 when the
 * cluster broker is unreachable) with {@code {"error": message}}.
 */
public final class PusherApi {
  private static final Logger log = LoggerFactory.getLogger(PusherApi.class);
  static final int MAX_CHANNELS_PER_EVENT = 100;
  static final int MAX_BATCH = 10;
  static final int MAX_EVENT_NAME = 200;
  private static final byte[] EMPTY = "{}".getBytes(StandardCharsets.UTF_8);

  /** {@code query}: the first value of each query parameter, URL-decoded. */
  public record Request(String method, String path, Map<String, String> query, byte[] body) {
  }

  public record Response(int status, byte[] body) {
  }

  private final PusherContext context;
  private final RequestSignature signature;
  private final PusherEvents events;

  public PusherApi(PusherContext context) {
    this.context = context;
    this.signature = new RequestSignature(context.clock(), context.settings().timestampWindow());
    this.events = new PusherEvents(context);
  }

  /** Whether a path belongs to this API: {@code /apps/…}, possibly behind a prefix. */
  public static boolean serves(String path) {
    return path.startsWith("/apps/") || path.contains("/apps/") && !path.startsWith("/admin");
  }

  public CompletionStage<Response> handle(Request req) {
    try {
      return route(req).handle((body, err) -> err == null ? new Response(200, body) : failure(req, err));
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(failure(req, e));
    }
  }

  private CompletionStage<byte[]> route(Request req) {
    String signed = req.path().substring(req.path().indexOf("/apps/"));
    String[] parts = signed.substring("/apps/".length()).split("/", -1);
    ServerConfig.PusherApp app = context.apps().byId(parts[0])
        .orElseThrow(() -> new PusherApiError(404, "no such app: \"" + parts[0] + '"'));
    signature.verify(app, req.method(), signed, req.query(), req.body());
    if (!app.enabled()) {
      throw new PusherApiError(403, "app " + app.id() + " is disabled");
    }
    String tail = String.join("/", java.util.Arrays.copyOfRange(parts, 1, parts.length));
    if (tail.equals("events")) {
      requireMethod(req, "POST");
      return events.trigger(app, object(req.body()));
    }
    if (tail.equals("batch_events")) {
      requireMethod(req, "POST");
      return events.batch(app, object(req.body()));
    }
    if (tail.equals("channels")) {
      requireMethod(req, "GET");
      return new ChannelQueries(context).list(app, req.query().get("filter_by_prefix"), req.query().get("info"));
    }
    if (parts.length == 3 && parts[1].equals("channels")) {
      requireMethod(req, "GET");
      return new ChannelQueries(context).one(app, channel(parts[2]), req.query().get("info"));
    }
    if (parts.length == 4 && parts[1].equals("channels") && parts[3].equals("users")) {
      requireMethod(req, "GET");
      return new ChannelQueries(context).users(app, channel(parts[2]));
    }
    if (parts.length == 4 && parts[1].equals("users") && parts[3].equals("terminate_connections")) {
      requireMethod(req, "POST");
      return events.terminate(app, parts[2]).thenApply(v -> EMPTY);
    }
    throw new PusherApiError(404, "no such endpoint: " + req.method() + " " + signed);
  }

  private static String channel(String name) {
    if (!ChannelKind.validName(name)) {
      throw new PusherApiError(400, "invalid channel name: \"" + clip(name) + '"');
    }
    return name;
  }

  private static void requireMethod(Request req, String method) {
    if (!req.method().equals(method)) {
      throw new PusherApiError(405, req.method() + " is not allowed here; use " + method);
    }
  }

  private static JsonNode object(byte[] body) {
    JsonNode json;
    try {
      json = io.herald.protocol.Json.MAPPER.readTree(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new PusherApiError(400, "the body must be a JSON object: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new PusherApiError(400, "the body could not be read");
    }
    if (json == null || !json.isObject()) {
      throw new PusherApiError(400, "the body must be a JSON object");
    }
    return json;
  }

  private Response failure(Request req, Throwable err) {
    Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
    int status;
    String message;
    if (cause instanceof PusherApiError e) {
      status = e.status();
      message = e.getMessage();
    } else if (cause instanceof BrokerUnavailableException e) {
      status = 503;
      message = e.getMessage();
    } else {
      log.warn("Pusher API {} {} failed", req.method(), req.path(), cause);
      status = 500;
      message = "internal error";
    }
    return new Response(status, PusherFrames.json(Map.of("error", message)).getBytes(StandardCharsets.UTF_8));
  }

  static String clip(String s) {
    return s.length() > 64 ? s.substring(0, 64) + "…" : s;
  }

  /** {@code info} as a set of attribute names. */
  static Set<String> info(String info) {
    if (info == null || info.isBlank()) {
      return Set.of();
    }
    return Set.of(info.split(","));
  }

  static byte[] json(Object value) {
    return PusherFrames.json(value).getBytes(StandardCharsets.UTF_8);
  }

  static <T> CompletableFuture<List<T>> all(List<CompletableFuture<T>> futures) {
    return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenApply(v -> {
      List<T> out = new ArrayList<>(futures.size());
      for (CompletableFuture<T> f : futures) {
        out.add(f.join());
      }
      return out;
    });
  }

  static Map<String, Object> map() {
    return new LinkedHashMap<>();
  }
}
