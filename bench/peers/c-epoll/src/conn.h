/* One client connection (admin HTTP or WebSocket) and the operations on it. */
#ifndef PEER_CONN_H
#define PEER_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "hub.h"

enum conn_state {
  CONN_HTTP,     /* reading HTTP requests (admin API or an upgrade) */
  CONN_WS,       /* an open WebSocket */
  CONN_CLOSING,  /* last bytes queued: input ignored, write side shut once they are out */
  CONN_DRAINING, /* write side shut: reading until the peer closes too (bounded in time) */
};

struct conn {
  int fd;
  uint8_t state;
  bool dead;        /* fd closed; freed after the current batch of events */
  struct buf in;    /* bytes read but not yet used (a partial request or frame) */
  struct buf out;   /* bytes the socket did not take yet */
  struct buf message; /* a fragmented WebSocket message being assembled */
  int message_opcode;
  char *user_id;    /* once authenticated */
  size_t user_id_len;
  struct membership *memberships;
  uint32_t membership_count;
  uint32_t membership_cap;
  long long deadline_ms; /* when on the timed list: close at this time */
  struct conn *timed_prev, *timed_next;
  struct conn *dead_next;
};

/*
 * Queues bytes for c: sent at once when nothing is pending, else appended to its output buffer
 * (flushed when the socket is writable). A client whose buffer passes the bound is dropped.
 */
void conn_send(struct conn *c, const void *p, size_t n);
/* Closes c now (without a goodbye). Safe to call twice and during a fan-out. */
void conn_close(struct conn *c);
/* Closes c once its queued bytes have left: shuts the write side, waits (bounded) for the peer. */
void conn_end(struct conn *c);
/* Takes c off the idle-timeout list (an open WebSocket has no idle timeout). */
void conn_untimed(struct conn *c);

#endif
