#include "ws.h"

#include <string.h>

#include "base64.h"
#include "sha.h"

static const char GUID[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

bool ws_key_valid(const char *key, size_t n) {
  if (n != 24 || key[22] != '=' || key[23] != '=') {
    return false;
  }
  for (size_t i = 0; i < 22; i++) {
    char c = key[i];
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    if (!ok) {
      return false;
    }
  }
  return true;
}

void ws_accept(const char *key, size_t n, char out[WS_ACCEPT_CHARS + 1]) {
  struct sha1 s;
  uint8_t digest[SHA1_BYTES];
  sha1_init(&s);
  sha1_update(&s, key, n);
  sha1_update(&s, GUID, sizeof GUID - 1);
  sha1_final(&s, digest);
  base64_encode(digest, sizeof digest, out);
}

size_t ws_header(uint8_t out[WS_MAX_HEADER], int opcode, size_t length) {
  out[0] = (uint8_t) (0x80 | opcode);
  if (length <= 125) {
    out[1] = (uint8_t) length;
    return 2;
  }
  if (length <= 0xffff) {
    out[1] = 126;
    out[2] = (uint8_t) (length >> 8);
    out[3] = (uint8_t) length;
    return 4;
  }
  out[1] = 127;
  for (int i = 0; i < 8; i++) {
    out[2 + i] = (uint8_t) ((uint64_t) length >> (56 - 8 * i));
  }
  return 10;
}

void ws_frame_in_place(struct buf *b, int opcode) {
  uint8_t header[WS_MAX_HEADER];
  size_t n = ws_header(header, opcode, buf_len(b));
  b->start -= n;
  memcpy(b->data + b->start, header, n);
}

long ws_parse(char *p, size_t n, size_t max_payload, struct ws_frame *f) {
  const uint8_t *u = (const uint8_t *) p;
  if (n < 2) {
    return WS_INCOMPLETE;
  }
  if ((u[0] & 0x70) != 0 || (u[1] & 0x80) == 0) {
    return WS_PROTOCOL_ERROR; /* reserved bits without an extension, or an unmasked client frame */
  }
  uint64_t length = u[1] & 0x7f;
  size_t at = 2;
  if (length == 126) {
    if (n < 4) {
      return WS_INCOMPLETE;
    }
    length = (uint64_t) u[2] << 8 | u[3];
    at = 4;
  } else if (length == 127) {
    if (n < 10) {
      return WS_INCOMPLETE;
    }
    length = 0;
    for (int i = 0; i < 8; i++) {
      length = length << 8 | u[2 + i];
    }
    at = 10;
  }
  if (length > max_payload) {
    return WS_TOO_BIG;
  }
  if (n < at + 4 + length) {
    return WS_INCOMPLETE;
  }
  const uint8_t *mask = u + at;
  char *payload = p + at + 4;
  for (size_t i = 0; i < length; i++) {
    payload[i] = (char) (payload[i] ^ mask[i & 3]);
  }
  f->fin = (u[0] & 0x80) != 0;
  f->opcode = u[0] & 0x0f;
  f->payload = payload;
  f->length = (size_t) length;
  return (long) (at + 4 + length);
}
