/* Growable byte buffers and read-only spans. */
#ifndef PEER_BUF_H
#define PEER_BUF_H

#include <stddef.h>

/* A read-only run of bytes inside some other buffer. */
struct span {
  const char *p;
  size_t n;
};

/* A growable byte buffer; the live bytes are data[start, end). A zeroed struct is an empty buffer. */
struct buf {
  char *data;
  size_t start;
  size_t end;
  size_t cap;
};

static inline size_t buf_len(const struct buf *b) { return b->end - b->start; }
static inline char *buf_bytes(const struct buf *b) { return b->data + b->start; }

void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);

/* Makes room for `extra` more bytes after the live ones; aborts when memory runs out. */
void buf_reserve(struct buf *b, size_t extra);
void buf_put(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_put_i64(struct buf *b, long long v);
/* Appends s as a quoted JSON string, escaped as JSON.stringify escapes it. */
void buf_put_json_string(struct buf *b, const char *s, size_t n);
/* Empties b but leaves `headroom` free bytes in front of its start (for a frame header). */
void buf_reset(struct buf *b, size_t headroom);
/* Drops n bytes from the front; the memory is released once the buffer is empty. */
void buf_consume(struct buf *b, size_t n);
void buf_free(struct buf *b);

#endif
