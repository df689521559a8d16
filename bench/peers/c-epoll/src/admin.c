/*
 * The admin API the load tool drives (Authorization: Bearer <HERALD_API_KEY>, or X-API-Key),
 * answered in Herald's envelope {"code":200,"message":"success","data":{..}}.
 */
#include <string.h>

#include "json.h"
#include "peer.h"
#include "ws.h"

#define ADMIN_PREFIX "/admin/websocket/"

static struct buf frame; /* the pushed message: serialised once per push */
static struct buf data;  /* the answer's data object */

static bool same_secret(const char *given, size_t n, const char *secret) {
  size_t len = strlen(secret);
  unsigned char diff = (unsigned char) (n != len);
  for (size_t i = 0; i < n && i < len; i++) {
    diff |= (unsigned char) (given[i] ^ secret[i]);
  }
  return diff == 0;
}

static bool authorized(const struct http_request *r) {
  if (r->authorization.n > 7 && strncmp(r->authorization.p, "Bearer ", 7) == 0
      && same_secret(r->authorization.p + 7, r->authorization.n - 7, config.api_key)) {
    return true;
  }
  return r->api_key.p != NULL && same_secret(r->api_key.p, r->api_key.n, config.api_key);
}

static void reply_data(struct conn *c, bool keep_alive) {
  http_reply(c, 200, "success", buf_bytes(&data), buf_len(&data), keep_alive);
}

/* Parses the body; answers 400 and returns false when it is not a JSON object. */
static bool read_body(struct conn *c, const char *body, size_t n, struct json_field *fields, int count, bool keep_alive) {
  enum json_result rc = utf8_valid(body, n) ? json_object_fields(body, n, fields, count) : JSON_INVALID;
  if (rc != JSON_OK) {
    http_reply(c, 400, rc == JSON_INVALID ? "body is not valid JSON" : "body must be a JSON object", NULL, 0, keep_alive);
    return false;
  }
  return true;
}

/* Decodes a required non-empty string member into out; answers 422 otherwise. */
static bool require_string(struct conn *c, const struct json_field *f, struct buf *out, bool keep_alive) {
  buf_reset(out, 0);
  if (!json_string_decode(f->value, out) || buf_len(out) == 0) {
    char message[80];
    strcpy(message, f->name);
    strcat(message, " is required and must be a non-empty string");
    http_reply(c, 422, message, NULL, 0, keep_alive);
    return false;
  }
  return true;
}

/* {"type":T[,"channel":C][,"data":D]} as one text frame in `frame`; D is copied as it came. */
static void build_push(const struct buf *type, const struct buf *channel, struct span payload) {
  buf_reset(&frame, WS_MAX_HEADER);
  buf_puts(&frame, "{\"type\":");
  buf_put_json_string(&frame, buf_bytes(type), buf_len(type));
  if (channel != NULL) {
    buf_puts(&frame, ",\"channel\":");
    buf_put_json_string(&frame, buf_bytes(channel), buf_len(channel));
  }
  if (payload.p != NULL) {
    buf_puts(&frame, ",\"data\":");
    buf_put(&frame, payload.p, payload.n);
  }
  buf_putc(&frame, '}');
  ws_frame_in_place(&frame, WS_TEXT);
}

static void send_to_channel(struct conn *c, const char *body, size_t n, bool keep_alive) {
  static struct buf channel, type;
  struct json_field f[] = {{"channel", {0}}, {"type", {0}}, {"data", {0}}};
  if (!read_body(c, body, n, f, 3, keep_alive) || !require_string(c, &f[0], &channel, keep_alive)
      || !require_string(c, &f[1], &type, keep_alive)) {
    return;
  }
  build_push(&type, &channel, f[2].value);
  long delivered = deliver(groups_find(&channels, buf_bytes(&channel), buf_len(&channel)), buf_bytes(&frame), buf_len(&frame));
  buf_reset(&data, 0);
  buf_puts(&data, "{\"channel\":");
  buf_put_json_string(&data, buf_bytes(&channel), buf_len(&channel));
  buf_puts(&data, ",\"delivered\":");
  buf_put_i64(&data, delivered);
  buf_putc(&data, '}');
  reply_data(c, keep_alive);
}

static void broadcast(struct conn *c, const char *body, size_t n, bool keep_alive) {
  static struct buf type;
  struct json_field f[] = {{"type", {0}}, {"data", {0}}};
  if (!read_body(c, body, n, f, 2, keep_alive) || !require_string(c, &f[0], &type, keep_alive)) {
    return;
  }
  build_push(&type, NULL, f[1].value);
  long delivered = deliver(&open_sockets, buf_bytes(&frame), buf_len(&frame));
  buf_reset(&data, 0);
  buf_puts(&data, "{\"delivered\":");
  buf_put_i64(&data, delivered);
  buf_puts(&data, ",\"online_count\":");
  buf_put_i64(&data, (long long) users.count);
  buf_putc(&data, '}');
  reply_data(c, keep_alive);
}

static void online_count(struct conn *c, bool keep_alive) {
  buf_reset(&data, 0);
  buf_puts(&data, "{\"online_count\":");
  buf_put_i64(&data, (long long) users.count);
  buf_putc(&data, '}');
  reply_data(c, keep_alive);
}

static void no_route(struct conn *c, int status, const struct http_request *r, bool keep_alive) {
  struct buf message = {0};
  if (status == 405) {
    buf_put(&message, r->method.p, r->method.n);
    buf_puts(&message, " not allowed on ");
  } else {
    buf_puts(&message, "no route for ");
  }
  buf_put(&message, r->path.p, r->path.n);
  buf_putc(&message, '\0');
  http_reply(c, status, buf_bytes(&message), NULL, 0, keep_alive);
  buf_free(&message);
}

void admin_handle(struct conn *c, const struct http_request *r, const char *body, size_t n) {
  bool keep_alive = http_keep_alive(r);
  bool get = span_equals(r->method, "GET");
  bool post = span_equals(r->method, "POST");
  if (get && span_equals(r->path, "/health")) {
    static const char ok[] = "{\"status\":\"ok\"}";
    http_reply(c, 200, "success", ok, sizeof ok - 1, keep_alive);
    return;
  }
  if (r->path.n < sizeof ADMIN_PREFIX - 1 || memcmp(r->path.p, ADMIN_PREFIX, sizeof ADMIN_PREFIX - 1) != 0) {
    no_route(c, 404, r, keep_alive);
    return;
  }
  if (!authorized(r)) {
    http_reply(c, 401, "missing or wrong API key", NULL, 0, keep_alive);
    return;
  }
  struct span route = {r->path.p + sizeof ADMIN_PREFIX - 1, r->path.n - (sizeof ADMIN_PREFIX - 1)};
  if (span_equals(route, "online-count")) {
    get ? online_count(c, keep_alive) : no_route(c, 405, r, keep_alive);
  } else if (span_equals(route, "send-to-channel")) {
    post ? send_to_channel(c, body, n, keep_alive) : no_route(c, 405, r, keep_alive);
  } else if (span_equals(route, "broadcast")) {
    post ? broadcast(c, body, n, keep_alive) : no_route(c, 405, r, keep_alive);
  } else {
    no_route(c, 404, r, keep_alive);
  }
}
