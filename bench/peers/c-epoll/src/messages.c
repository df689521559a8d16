/*
 * The client side of Herald's protocol that the benchmarks use: `connected` on open, ping /
 * heartbeat, subscribe / unsubscribe, chat. Frames are JSON text, {"type":T,"data":D}.
 */
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "json.h"
#include "peer.h"
#include "ws.h"

#define MAX_CHANNEL_CHARS 128

/* A frame under construction: reset with room for the header, filled, wrapped, sent. */
static struct buf frame;

static void frame_begin(void) {
  buf_reset(&frame, WS_MAX_HEADER);
}

static void frame_send(struct conn *c) {
  ws_frame_in_place(&frame, WS_TEXT);
  conn_send(c, buf_bytes(&frame), buf_len(&frame));
}

/* Ids made only of digits (up to 15) are written as JSON numbers (SPEC §2), others as strings. */
static void put_user_id(struct buf *b, const char *id, size_t n) {
  bool digits = n > 0 && n <= 15;
  for (size_t i = 0; digits && i < n; i++) {
    digits = id[i] >= '0' && id[i] <= '9';
  }
  if (!digits) {
    buf_put_json_string(b, id, n);
    return;
  }
  while (n > 1 && *id == '0') { /* as Number("007") writes it */
    id++;
    n--;
  }
  buf_put(b, id, n);
}

static void send_error(struct conn *c, const char *code, const char *message, size_t n) {
  frame_begin();
  buf_puts(&frame, "{\"type\":\"error\",\"data\":{\"code\":");
  buf_put_json_string(&frame, code, strlen(code));
  buf_puts(&frame, ",\"message\":");
  buf_put_json_string(&frame, message, n);
  buf_puts(&frame, "}}");
  frame_send(c);
}

static void send_timestamped(struct conn *c, const char *type) {
  frame_begin();
  buf_puts(&frame, "{\"type\":\"");
  buf_puts(&frame, type);
  buf_puts(&frame, "\",\"data\":{\"timestamp\":");
  buf_put_i64(&frame, now_ms / 1000);
  buf_puts(&frame, "}}");
  frame_send(c);
}

long deliver(const struct group *g, const char *bytes, size_t n) {
  long delivered = 0;
  if (g == NULL) {
    return 0;
  }
  for (uint32_t i = 0; i < g->count; i++) {
    struct conn *c = g->members[i];
    if (!c->dead && c->state == CONN_WS) {
      conn_send(c, bytes, n); /* one send per delivery, the same bytes for everyone */
      delivered++;
    }
  }
  return delivered;
}

static void put_uuid(struct buf *b) {
  uint8_t r[16];
  if (getrandom(r, sizeof r, 0) != sizeof r) {
    memset(r, 0, sizeof r);
  }
  r[6] = (uint8_t) ((r[6] & 0x0f) | 0x40);
  r[8] = (uint8_t) ((r[8] & 0x3f) | 0x80);
  char text[37];
  int n = 0;
  for (int i = 0; i < 16; i++) {
    n += snprintf(text + n, sizeof text - (size_t) n, (i == 4 || i == 6 || i == 8 || i == 10) ? "-%02x" : "%02x", r[i]);
  }
  buf_put_json_string(b, text, (size_t) n);
}

void messages_open(struct conn *c, const char *user_id, size_t n) {
  c->user_id = xmalloc(n);
  memcpy(c->user_id, user_id, n);
  c->user_id_len = n;
  group_join(groups_get(&users, user_id, n), c);
  group_join(&open_sockets, c);
  frame_begin();
  buf_puts(&frame, "{\"type\":\"connected\",\"data\":{\"user_id\":");
  put_user_id(&frame, user_id, n);
  buf_puts(&frame, ",\"connection_id\":");
  put_uuid(&frame);
  buf_puts(&frame, ",\"heartbeat_interval\":");
  buf_put_i64(&frame, HEARTBEAT_INTERVAL_SECONDS);
  buf_puts(&frame, "}}");
  frame_send(c);
}

static bool channel_name_ok(const char *s, size_t n) {
  if (n == 0 || n > MAX_CHANNEL_CHARS) {
    return false;
  }
  for (size_t i = 0; i < n; i++) {
    char ch = s[i];
    bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || strchr("_-:.@/", ch) != NULL;
    if (!ok || ch == '\0') {
      return false;
    }
  }
  return true;
}

static void on_subscription(struct conn *c, const char *type, struct span data) {
  struct json_field channel = {"channel", {0}};
  struct buf name = {0}, message = {0};
  if (json_is_object(data)) {
    json_object_fields(data.p, data.n, &channel, 1);
  }
  if (!json_string_decode(channel.value, &name) || !channel_name_ok(buf_bytes(&name), buf_len(&name))) {
    buf_puts(&message, "channel must match [A-Za-z0-9_-:.@/]{1,128}: ");
    if (channel.value.p == NULL) {
      buf_puts(&message, "undefined");
    } else {
      buf_put(&message, channel.value.p, channel.value.n);
    }
    send_error(c, "bad_channel", buf_bytes(&message), buf_len(&message));
  } else if (buf_len(&name) >= 8 && memcmp(buf_bytes(&name), "private-", 8) == 0) {
    buf_puts(&message, "not allowed to join ");
    buf_put(&message, buf_bytes(&name), buf_len(&name));
    send_error(c, "forbidden", buf_bytes(&message), buf_len(&message));
  } else {
    bool subscribe = strcmp(type, "subscribe") == 0;
    if (subscribe) {
      group_join(groups_get(&channels, buf_bytes(&name), buf_len(&name)), c);
    } else {
      struct group *g = groups_find(&channels, buf_bytes(&name), buf_len(&name));
      if (g != NULL) {
        group_leave(g, c);
      }
    }
    frame_begin();
    buf_puts(&frame, subscribe ? "{\"type\":\"subscribed\",\"data\":{\"channel\":" : "{\"type\":\"unsubscribed\",\"data\":{\"channel\":");
    buf_put_json_string(&frame, buf_bytes(&name), buf_len(&name));
    buf_puts(&frame, "}}");
    frame_send(c);
  }
  buf_free(&name);
  buf_free(&message);
}

static void on_chat(struct conn *c, struct span data) {
  struct json_field f[] = {{"to_user_id", {0}}, {"content", {0}}};
  if (json_is_object(data)) {
    json_object_fields(data.p, data.n, f, 2);
  }
  if (f[0].value.p == NULL || (f[0].value.n == 4 && memcmp(f[0].value.p, "null", 4) == 0) || f[1].value.p == NULL) {
    static const char missing[] = "chat needs to_user_id and content";
    send_error(c, "missing_field", missing, sizeof missing - 1);
    return;
  }
  struct buf to = {0};
  if (!json_string_decode(f[0].value, &to)) {
    buf_put(&to, f[0].value.p, f[0].value.n); /* a number, as String(n) writes an integer */
  }
  frame_begin();
  buf_puts(&frame, "{\"type\":\"chat\",\"data\":{\"from_user_id\":");
  put_user_id(&frame, c->user_id, c->user_id_len);
  buf_puts(&frame, ",\"to_user_id\":");
  put_user_id(&frame, buf_bytes(&to), buf_len(&to));
  buf_puts(&frame, ",\"content\":");
  buf_put(&frame, f[1].value.p, f[1].value.n);
  buf_puts(&frame, ",\"timestamp\":");
  buf_put_i64(&frame, now_ms / 1000);
  buf_puts(&frame, "}}");
  ws_frame_in_place(&frame, WS_TEXT);
  deliver(groups_find(&users, buf_bytes(&to), buf_len(&to)), buf_bytes(&frame), buf_len(&frame));
  buf_free(&to);
}

static bool type_is(struct span type, const char *name) {
  size_t n = strlen(name);
  return type.n == n + 2 && memcmp(type.p + 1, name, n) == 0;
}

void messages_text(struct conn *c, const char *text, size_t n) {
  struct json_field f[] = {{"type", {0}}, {"data", {0}}};
  enum json_result rc = json_object_fields(text, n, f, 2);
  if (rc != JSON_OK) {
    const char *message = rc == JSON_INVALID ? "frame is not valid JSON" : "frame must be a JSON object";
    send_error(c, "bad_json", message, strlen(message));
    return;
  }
  struct span type = json_is_string(f[0].value) ? f[0].value : (struct span) {NULL, 0};
  if (type_is(type, "ping")) {
    send_timestamped(c, "pong");
  } else if (type_is(type, "heartbeat")) {
    send_timestamped(c, "heartbeat_ack");
  } else if (type_is(type, "subscribe")) {
    on_subscription(c, "subscribe", f[1].value);
  } else if (type_is(type, "unsubscribe")) {
    on_subscription(c, "unsubscribe", f[1].value);
  } else if (type_is(type, "chat")) {
    on_chat(c, f[1].value);
  } else {
    struct buf message = {0};
    buf_puts(&message, "unknown type: ");
    if (f[0].value.p == NULL) {
      buf_puts(&message, "undefined");
    } else {
      buf_put(&message, f[0].value.p, f[0].value.n);
    }
    send_error(c, "unknown_type", buf_bytes(&message), buf_len(&message));
    buf_free(&message);
  }
}

void messages_binary(struct conn *c) {
  static const char message[] = "binary frames are not supported";
  send_error(c, "bad_frame", message, sizeof message - 1);
}
