package io.herald.admin;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.herald.auth.BearerToken;
import io.herald.history.History;
import io.herald.hub.PushService;
import io.herald.idempotency.Idempotency;
import io.herald.idempotency.IdempotencyStore;
import io.herald.metrics.Metrics;
import io.herald.protocol.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP API under {@code /admin/websocket/}: checks a request's key, routes it to its
 * endpoint ({@link PushEndpoints}, the seed's twelve over {@link PushService}; batch, history and
 * the dashboard's), and answers it once per idempotency key. Transport-free: it takes a method,
 * path, credentials and body, and answers a status and the envelope
 * {@code {"code","message","data"}}. Only {@link #render(int, String, Object)} writes a body.
 */
public final class AdminApi {
  public static final String PREFIX = "/admin/websocket/";
  private static final Logger access = LoggerFactory.getLogger("io.herald.access");

  /**
   * An incoming request; {@code authorization} and {@code apiKey} are the raw header values or
   * null; {@code query} holds the query string's parameters (a GET endpoint reads them as its body).
   */
  public record Request(String method, String path, String authorization, String apiKey, byte[] body,
                        String remoteAddress, Map<String, List<String>> query, String idempotencyKey) {
    public Request(String method, String path, String authorization, String apiKey, byte[] body,
                   String remoteAddress) {
      this(method, path, authorization, apiKey, body, remoteAddress, Map.of(), null);
    }

    public Request(String method, String path, String authorization, String apiKey, byte[] body,
                   String remoteAddress, Map<String, List<String>> query) {
      this(method, path, authorization, apiKey, body, remoteAddress, query, null);
    }

    String param(String name) {
      List<String> values = query.get(name);
      return values == null || values.isEmpty() ? null : values.get(0);
    }
  }

  /** A finished response: HTTP status, the envelope's bytes, and the Allow header for 405. */
  public record Response(int status, byte[] body, String allow) {
  }

  interface Action {
    CompletionStage<Object> run(Body body);
  }

  /** {@code outage}: what a broker outage means for a call of this endpoint, for its 503. */
  private record Endpoint(String method, String outage, Action action) {
    Endpoint(String method, Action action) {
      this(method, method.equals("GET") ? READ_OUTAGE : WRITE_OUTAGE, action);
    }
  }

  static final String READ_OUTAGE = "the online state of the cluster cannot be read now; try again later";
  private static final String WRITE_OUTAGE = "the message was not delivered to other nodes";

  private final Supplier<String> apiKey;
  private final int maxUserIds;
  private final Metrics metrics;
  private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
  private final History history;
  private final Idempotency idempotency;
  private final int maxBatch;
  private final java.util.Set<String> polled = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public AdminApi(PushService service, Supplier<String> apiKey, int maxUserIds, Metrics metrics) {
    this(service, apiKey, maxUserIds, metrics, null, null, 1);
  }

  /** With {@code history} null there is no history endpoint; with {@code idempotency} null keys are refused. */
  public AdminApi(PushService service, Supplier<String> apiKey, int maxUserIds, Metrics metrics,
                  History history, Idempotency idempotency, int maxBatch) {
    this.history = history;
    this.idempotency = idempotency;
    this.maxBatch = maxBatch;
    this.apiKey = apiKey;
    this.maxUserIds = maxUserIds;
    this.metrics = metrics;
    new PushEndpoints(service, maxUserIds).registerOn(this);
    registerNothingLost();
  }

  /** Batch and history (docs/admin-api.md); idempotency keys are handled in {@link #respond}. */
  private void registerNothingLost() {
    endpoints.put(Batch.NAME, new Endpoint("POST", b -> Batch.run(b, maxBatch, this::runNamed)));
    if (history != null) {
      endpoints.put("history", new Endpoint("GET", b -> HistoryRead.run(history, b::query)));
    }
  }

  /** One batch item: the endpoint by name with a body (null: none); errors become envelopes. */
  private CompletionStage<Response> runNamed(String name, JsonNode body) {
    Endpoint endpoint = endpoints.get(name);
    if (endpoint == null) {
      return CompletableFuture.completedFuture(new Response(404, render(404, "no such endpoint: " + name, null), null));
    }
    String path = PREFIX + name;
    try {
      JsonNode json = body == null ? Json.MAPPER.createObjectNode() : body;
      return endpoint.action().run(new Body(json, maxUserIds))
          .handle((data, err) -> err == null ? ok(data, path) : ErrorMapper.response(err, path, endpoint.outage()));
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(ErrorMapper.response(e, path, endpoint.outage()));
    }
  }

  /** Handles one request; never fails: every outcome is an envelope. */
  public CompletionStage<Response> handle(Request request) {
    long started = System.nanoTime();
    String name = endpointName(request.path());
    Endpoint endpoint = request.path().startsWith(PREFIX) ? endpoints.get(name) : null;
    String outage = endpoint == null ? WRITE_OUTAGE : endpoint.outage();
    CompletionStage<Response> response;
    try {
      response = respond(request, endpoint).handle((r, err) -> err == null
          ? r : ErrorMapper.response(err, request.path(), outage));
    } catch (RuntimeException e) {
      response = CompletableFuture.completedFuture(ErrorMapper.response(e, request.path(), outage));
    }
    return response.thenApply(r -> {
      long nanos = System.nanoTime() - started;
      metrics.adminRequest(name, r.status(), nanos);
      // key=value, one request a line; never the key. docs/operations.md describes the fields.
      boolean routine = r.status() == 200 && polled.contains(name);
      if (routine ? access.isDebugEnabled() : access.isInfoEnabled()) {
        String line = "admin endpoint=" + name + " method=" + request.method() + " status=" + r.status()
            + " remote=" + remote(request.remoteAddress()) + " latency_ms="
            + String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6);
        if (routine) {
          access.debug(line);
        } else {
          access.info(line);
        }
      }
      return r;
    });
  }

  /**
   * Checks the request, then runs it, through its {@code Idempotency-Key} when it carries one:
   * the same key again within {@code idempotency.ttl} gets the first answer and runs nothing.
   */
  private CompletionStage<Response> respond(Request request, Endpoint endpoint) {
    check(request, endpoint);
    if (request.idempotencyKey() == null || !endpoint.method().equals("POST")) {
      return run(request, endpoint);
    }
    String key;
    try {
      key = Idempotency.requireKey(request.idempotencyKey());
    } catch (IllegalArgumentException e) {
      throw new ApiError(400, e.getMessage());
    }
    if (idempotency == null) {
      throw new ApiError(400, "Idempotency-Key is not supported by this server");
    }
    return idempotency.run(key, request.path(), () -> run(request, endpoint)
            .thenApply(r -> new IdempotencyStore.Answer(r.status(), request.path(), r.body())))
        .thenApply(a -> new Response(a.status(), a.body(), null));
  }

  private CompletionStage<Response> run(Request request, Endpoint endpoint) {
    JsonNode json = endpoint.method().equals("POST") ? parse(request.body()) : query(request.query());
    return endpoint.action().run(new Body(json, maxUserIds, request::param)).handle((data, err) -> err == null
        ? ok(data, request.path()) : ErrorMapper.response(err, request.path(), endpoint.outage()));
  }

  /**
   * The key is checked first, for every path: a caller without it learns nothing, not even which
   * endpoints exist or which method they take (404 and 405 come only after a 401 could have).
   */
  private void check(Request request, Endpoint endpoint) {
    if (!authorized(request)) {
      throw new ApiError(401, "unauthorized: send the API key as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'");
    }
    if (endpoint == null) {
      throw new ApiError(404, "no such endpoint: " + request.path());
    }
    if (!endpoint.method().equals(request.method())) {
      throw ApiError.methodNotAllowed(endpoint.method(), request.method() + " is not allowed on " + request.path()
          + "; use " + endpoint.method());
    }
  }

  /** A GET's query parameters as a JSON object of strings (the first value of each). */
  private static JsonNode query(Map<String, List<String>> params) {
    com.fasterxml.jackson.databind.node.ObjectNode json = Json.MAPPER.createObjectNode();
    params.forEach((name, values) -> {
      if (!values.isEmpty()) {
        json.put(name, values.get(0));
      }
    });
    return json;
  }

  /** The answer to a request that failed outside {@link #handle} (the inspector stream), by the one error mapper. */
  public Response failure(Throwable err, String path) {
    return ErrorMapper.response(err, path, READ_OUTAGE);
  }

  /** Adds an endpoint under {@link #PREFIX}; a broker outage fails it as its method suggests. */
  void add(String name, String method, Action action) {
    endpoints.put(name, new Endpoint(method, action));
  }

  /** As {@link #add(String, String, Action)}, saying what a broker outage means for it. */
  void add(String name, String method, String outage, Action action) {
    endpoints.put(name, new Endpoint(method, outage, action));
  }

  /**
   * Adds an endpoint under {@link #PREFIX} that a dashboard polls (see {@link DashboardEndpoints}):
   * its successful answers are logged at DEBUG, not INFO, so an open dashboard does not flood the log.
   */
  void addPolled(String name, String method, Action action) {
    add(name, method, action);
    polled.add(name);
  }

  private static JsonNode parse(byte[] body) {
    if (body == null || body.length == 0) {
      throw new ApiError(400, "request body must be a JSON object");
    }
    JsonNode json;
    try {
      json = Json.read(body);
    } catch (Json.MalformedJson e) {
      throw new ApiError(400, "request body is not valid JSON: " + e.getMessage());
    }
    if (json == null || !json.isObject()) {
      throw new ApiError(400, "request body must be a JSON object");
    }
    return json;
  }

  private boolean authorized(Request request) {
    return authorized(request.authorization(), request.apiKey());
  }

  /** Whether the raw {@code Authorization} or {@code X-API-Key} header value carries the API key. */
  public boolean authorized(String authorization, String xApiKey) {
    String presented = BearerToken.from(authorization);
    if (presented == null && xApiKey != null) {
      presented = xApiKey.trim();
    }
    return presented != null && !presented.isEmpty() && constantTimeEquals(presented, apiKey.get());
  }

  /** Compares digests, so neither the content nor the length of the key leaks through timing. */
  static boolean constantTimeEquals(String presented, String expected) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] a = sha.digest(presented.getBytes(StandardCharsets.UTF_8));
      byte[] b = sha.digest(expected.getBytes(StandardCharsets.UTF_8));
      return MessageDigest.isEqual(a, b);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** {@code /127.0.0.1:5555} (a socket address's text) as {@code 127.0.0.1:5555}. */
  private static String remote(String address) {
    return address != null && address.startsWith("/") ? address.substring(1) : address;
  }

  private static String endpointName(String path) {
    return path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : "unknown";
  }

  /** The 200 answer; a result that cannot be rendered is a bug, answered as such. */
  private static Response ok(Object data, String path) {
    try {
      return new Response(200, render(200, "success", data), null);
    } catch (RuntimeException e) {
      return ErrorMapper.response(e, path, WRITE_OUTAGE);
    }
  }

  /** The envelope {@code {"code":status,"message":message,"data":data}}. */
  public static byte[] render(int status, String message, Object data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try (JsonGenerator gen = Json.MAPPER.createGenerator(out)) {
      gen.writeStartObject();
      gen.writeNumberField("code", status);
      gen.writeStringField("message", message);
      gen.writeFieldName("data");
      Json.MAPPER.writeValue(gen, data);
      gen.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("cannot render an envelope", e);
    }
    return out.toByteArray();
  }
}
