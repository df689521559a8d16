/* The peer's process-wide state and the entry points of its parts. */
#ifndef PEER_PEER_H
#define PEER_PEER_H

#include <stddef.h>

#include "conn.h"
#include "http.h"
#include "hub.h"

#define MAX_BODY_BYTES (1024 * 1024)       /* admin request bodies */
#define MAX_MESSAGE_BYTES (64 * 1024)      /* client WebSocket messages */
#define MAX_OUTPUT_BYTES (1024 * 1024)     /* queued for one slow client before it is dropped */
#define HEARTBEAT_INTERVAL_SECONDS 30      /* announced in `connected` */
#define IDLE_TIMEOUT_MS 5000               /* idle keep-alive HTTP, unfinished requests, closing sockets */

struct config {
  const char *host;
  int port;
  const char *jwt_secret;
  size_t jwt_secret_len;
  const char *api_key;
};

extern struct config config;
extern struct groups channels;   /* channel name -> subscribed WebSockets */
extern struct groups users;      /* user id -> that user's WebSockets */
extern struct group open_sockets; /* every authenticated WebSocket */
extern long long now_ms;         /* wall clock, refreshed once per loop turn */

/* server.c: runs the event loop until SIGTERM or SIGINT. */
int server_run(void);

/* session.c: consumes what arrived on c, returns how many bytes it used (the rest is kept). */
size_t session_input(struct conn *c, char *p, size_t n);
/* session.c: an HTTP response with the admin envelope {"code":..,"message":..,"data":..}. */
void http_reply(struct conn *c, int status, const char *message, const char *data_json, size_t data_len, bool keep_alive);
/* session.c: queues a close frame, then ends the connection. */
void ws_close(struct conn *c, int code, const char *reason);

/* messages.c: the client side of the protocol. */
void messages_open(struct conn *c, const char *user_id, size_t n);
void messages_text(struct conn *c, const char *text, size_t n);
void messages_binary(struct conn *c);
/* messages.c: sends one frame's bytes to every live member; returns how many it went to. */
long deliver(const struct group *g, const char *frame, size_t n);

/* admin.c: one admin API request (head parsed, body complete). */
void admin_handle(struct conn *c, const struct http_request *r, const char *body, size_t n);

#endif
