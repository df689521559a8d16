/*
 * What arrives on a connection: HTTP/1.1 requests (admin API, or the WebSocket upgrade), then,
 * once upgraded, WebSocket frames.
 */
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "jwt.h"
#include "peer.h"
#include "ws.h"

static const char *reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 413: return "Payload Too Large";
    case 422: return "Unprocessable Entity";
    case 431: return "Request Header Fields Too Large";
    default: return "Error";
  }
}

void http_reply(struct conn *c, int status, const char *message, const char *data_json, size_t data_len, bool keep_alive) {
  static struct buf body, response;
  buf_reset(&body, 0);
  buf_puts(&body, "{\"code\":");
  buf_put_i64(&body, status);
  buf_puts(&body, ",\"message\":");
  buf_put_json_string(&body, message, strlen(message));
  buf_puts(&body, ",\"data\":");
  if (data_json == NULL) {
    buf_puts(&body, "null");
  } else {
    buf_put(&body, data_json, data_len);
  }
  buf_putc(&body, '}');
  buf_reset(&response, 0);
  char head[160];
  int n = snprintf(head, sizeof head,
                   "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\nConnection: %s\r\n\r\n",
                   status, reason_phrase(status), buf_len(&body), keep_alive ? "keep-alive" : "close");
  buf_put(&response, head, (size_t) n);
  buf_put(&response, buf_bytes(&body), buf_len(&body));
  conn_send(c, buf_bytes(&response), buf_len(&response)); /* head and body in one send */
  if (!keep_alive) {
    conn_end(c);
  }
}

static void refuse_upgrade(struct conn *c, const char *status_line) {
  char response[128];
  int n = snprintf(response, sizeof response, "HTTP/1.1 %s\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", status_line);
  conn_send(c, response, (size_t) n);
  conn_end(c);
}

void ws_close(struct conn *c, int code, const char *reason) {
  uint8_t frame[WS_MAX_HEADER + 2 + 123];
  size_t reason_len = strnlen(reason, 123);
  size_t n = ws_header(frame, WS_CLOSE, 2 + reason_len);
  frame[n++] = (uint8_t) (code >> 8);
  frame[n++] = (uint8_t) code;
  memcpy(frame + n, reason, reason_len);
  conn_send(c, frame, n + reason_len);
  conn_end(c);
}

/* The user the upgrade request authenticates (appended to user), or false. */
static bool authenticate(const struct http_request *r, struct buf *user) {
  struct buf token = {0}, wanted = {0};
  bool has_token = http_query_param(r->query, "token", &token) && buf_len(&token) > 0;
  if (!has_token && r->authorization.n > 7 && strncmp(r->authorization.p, "Bearer ", 7) == 0) {
    buf_put(&token, r->authorization.p + 7, r->authorization.n - 7);
  }
  bool ok = buf_len(&token) > 0
            && jwt_verify_hs256(buf_bytes(&token), buf_len(&token), config.jwt_secret, config.jwt_secret_len, now_ms / 1000, user);
  if (ok && http_query_param(r->query, "user_id", &wanted)) {
    ok = buf_len(&wanted) == buf_len(user) && memcmp(buf_bytes(&wanted), buf_bytes(user), buf_len(user)) == 0;
  }
  buf_free(&token);
  buf_free(&wanted);
  return ok;
}

static void upgrade(struct conn *c, const struct http_request *r) {
  if (!span_equals(r->path, "/ws")) {
    refuse_upgrade(c, "404 Not Found");
    return;
  }
  if (!span_equals(r->method, "GET") || !span_iequals(r->upgrade, "websocket") || !span_equals(r->ws_version, "13")
      || !ws_key_valid(r->ws_key.p, r->ws_key.n)) {
    refuse_upgrade(c, "400 Bad Request");
    return;
  }
  char accept[WS_ACCEPT_CHARS + 1];
  ws_accept(r->ws_key.p, r->ws_key.n, accept);
  char response[160];
  int n = snprintf(response, sizeof response,
                   "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Accept: %s\r\n\r\n", accept);
  conn_send(c, response, (size_t) n);
  c->state = CONN_WS;
  conn_untimed(c);
  struct buf user = {0};
  if (authenticate(r, &user)) {
    messages_open(c, buf_bytes(&user), buf_len(&user));
  } else {
    ws_close(c, 4001, "unauthorized"); /* browsers cannot read an HTTP status: refuse after the upgrade */
  }
  buf_free(&user);
}

/* One HTTP request from p[0..n): returns the bytes it used, 0 while incomplete. */
static size_t http_input(struct conn *c, const char *p, size_t n) {
  struct http_request r;
  long head = http_parse_head(p, n, &r);
  if (head == HTTP_INCOMPLETE) {
    if (n > HTTP_MAX_HEAD) {
      http_reply(c, 431, "request head exceeds 8 KiB", NULL, 0, false);
    }
    return 0;
  }
  if (head == HTTP_MALFORMED || (size_t) head > HTTP_MAX_HEAD) {
    http_reply(c, head == HTTP_MALFORMED ? 400 : 431, head == HTTP_MALFORMED ? "malformed request" : "request head exceeds 8 KiB",
               NULL, 0, false);
    return n;
  }
  if (r.upgrade.n > 0 && http_has_token(r.connection, "upgrade")) {
    upgrade(c, &r);
    return (size_t) head;
  }
  if (r.transfer_encoding.n > 0) {
    http_reply(c, 400, "only Content-Length bodies are accepted", NULL, 0, false);
    return n;
  }
  size_t body = r.content_length < 0 ? 0 : (size_t) r.content_length;
  if (body > MAX_BODY_BYTES) {
    http_reply(c, 413, "body exceeds 1 MiB", NULL, 0, false);
    return n;
  }
  if (n - (size_t) head < body) {
    return 0;
  }
  admin_handle(c, &r, p + head, body);
  return (size_t) head + body;
}

static void ws_message(struct conn *c, int opcode, char *payload, size_t n) {
  if (opcode == WS_BINARY) {
    messages_binary(c);
  } else if (!utf8_valid(payload, n)) {
    ws_close(c, 1007, "invalid UTF-8");
  } else {
    messages_text(c, payload, n);
  }
}

static void ws_control(struct conn *c, const struct ws_frame *f) {
  if (f->opcode == WS_PING) {
    uint8_t frame[WS_MAX_HEADER + 125];
    size_t n = ws_header(frame, WS_PONG, f->length);
    memcpy(frame + n, f->payload, f->length);
    conn_send(c, frame, n + f->length);
  } else if (f->opcode == WS_CLOSE) {
    uint8_t frame[WS_MAX_HEADER + 2];
    size_t echo = f->length >= 2 ? 2 : 0; /* echo the status code, as RFC 6455 §5.5.1 asks */
    size_t n = ws_header(frame, WS_CLOSE, echo);
    memcpy(frame + n, f->payload, echo);
    conn_send(c, frame, n + echo);
    conn_end(c);
  }
}

/* One frame: handles it and returns the bytes it used, or 0 while incomplete. */
static size_t ws_input(struct conn *c, char *p, size_t n) {
  struct ws_frame f;
  long used = ws_parse(p, n, MAX_MESSAGE_BYTES, &f);
  if (used == WS_INCOMPLETE) {
    return 0;
  }
  if (used == WS_TOO_BIG) {
    ws_close(c, 1009, "message too big");
    return n;
  }
  bool control = used > 0 && (f.opcode & 0x8) != 0;
  bool in_message = c->message_opcode != 0;
  if (used == WS_PROTOCOL_ERROR || (control && (!f.fin || f.length > 125))
      || (f.opcode == WS_CONTINUATION && !in_message) || ((f.opcode == WS_TEXT || f.opcode == WS_BINARY) && in_message)
      || (f.opcode > WS_BINARY && f.opcode < WS_CLOSE) || f.opcode > WS_PONG) {
    ws_close(c, 1002, "protocol error");
    return n;
  }
  if (control) {
    ws_control(c, &f);
  } else if (f.fin && !in_message) {
    ws_message(c, f.opcode, f.payload, f.length);
  } else if (buf_len(&c->message) + f.length > MAX_MESSAGE_BYTES) {
    ws_close(c, 1009, "message too big");
  } else {
    if (!in_message) {
      c->message_opcode = f.opcode;
    }
    buf_put(&c->message, f.payload, f.length);
    if (f.fin) {
      int opcode = c->message_opcode;
      c->message_opcode = 0;
      ws_message(c, opcode, buf_bytes(&c->message), buf_len(&c->message));
      buf_free(&c->message);
    }
  }
  return (size_t) used;
}

size_t session_input(struct conn *c, char *p, size_t n) {
  size_t used = 0;
  while (used < n && !c->dead) {
    size_t step;
    if (c->state == CONN_HTTP) {
      step = http_input(c, p + used, n - used);
    } else if (c->state == CONN_WS) {
      step = ws_input(c, p + used, n - used);
    } else {
      step = n - used; /* closing: what the peer still sends is ignored */
    }
    if (step == 0) {
      break;
    }
    used += step;
  }
  return used;
}
