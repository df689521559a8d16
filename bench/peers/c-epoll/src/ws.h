/* RFC 6455 framing and the server side of the opening handshake. */
#ifndef PEER_WS_H
#define PEER_WS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

enum {
  WS_CONTINUATION = 0x0,
  WS_TEXT = 0x1,
  WS_BINARY = 0x2,
  WS_CLOSE = 0x8,
  WS_PING = 0x9,
  WS_PONG = 0xA,
};

#define WS_MAX_HEADER 10
#define WS_ACCEPT_CHARS 28

/* True when key is what a client must send: base64 of 16 bytes. */
bool ws_key_valid(const char *key, size_t n);
/* The Sec-WebSocket-Accept value for key (28 characters plus a NUL). */
void ws_accept(const char *key, size_t n, char out[WS_ACCEPT_CHARS + 1]);

/* Writes an unmasked final frame header for `length` payload bytes; returns its size (2, 4 or 10). */
size_t ws_header(uint8_t out[WS_MAX_HEADER], int opcode, size_t length);

/*
 * Turns the payload in b into a frame in place: b must have been reset with WS_MAX_HEADER bytes of
 * headroom before the payload was written. The frame is then buf_bytes(b), buf_len(b).
 */
void ws_frame_in_place(struct buf *b, int opcode);

struct ws_frame {
  bool fin;
  int opcode;
  char *payload; /* unmasked in place */
  size_t length;
};

enum ws_parse { WS_INCOMPLETE = 0, WS_PROTOCOL_ERROR = -1, WS_TOO_BIG = -2 };

/*
 * Reads one client frame from p[0..n): returns the bytes it took (> 0) and fills f, or one of
 * enum ws_parse. Client frames must be masked and use no reserved bits.
 */
long ws_parse(char *p, size_t n, size_t max_payload, struct ws_frame *f);

#endif
