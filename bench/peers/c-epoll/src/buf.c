#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *xmalloc(size_t n) {
  void *p = malloc(n);
  if (p == NULL) {
    fprintf(stderr, "out of memory (%zu bytes)\n", n);
    abort();
  }
  return p;
}

void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n);
  if (q == NULL) {
    fprintf(stderr, "out of memory (%zu bytes)\n", n);
    abort();
  }
  return q;
}

void buf_reserve(struct buf *b, size_t extra) {
  if (b->cap - b->end >= extra) {
    return;
  }
  size_t cap = b->cap < 64 ? 64 : b->cap;
  while (cap - b->end < extra) {
    cap *= 2;
  }
  b->data = xrealloc(b->data, cap);
  b->cap = cap;
}

void buf_put(struct buf *b, const void *p, size_t n) {
  if (n == 0) {
    return;
  }
  buf_reserve(b, n);
  memcpy(b->data + b->end, p, n);
  b->end += n;
}

void buf_puts(struct buf *b, const char *s) {
  buf_put(b, s, strlen(s));
}

void buf_putc(struct buf *b, char c) {
  buf_reserve(b, 1);
  b->data[b->end++] = c;
}

void buf_put_i64(struct buf *b, long long v) {
  char digits[24];
  int n = snprintf(digits, sizeof digits, "%lld", v);
  buf_put(b, digits, (size_t) n);
}

void buf_put_json_string(struct buf *b, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  buf_reserve(b, n + 2);
  buf_putc(b, '"');
  size_t run = 0; /* bytes copied as they are, flushed in one go */
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char) s[i];
    if (c >= 0x20 && c != '"' && c != '\\') {
      continue;
    }
    buf_put(b, s + run, i - run);
    run = i + 1;
    char esc[6] = {'\\', 0, 0, 0, 0, 0};
    size_t len = 2;
    switch (c) {
      case '"': esc[1] = '"'; break;
      case '\\': esc[1] = '\\'; break;
      case '\b': esc[1] = 'b'; break;
      case '\f': esc[1] = 'f'; break;
      case '\n': esc[1] = 'n'; break;
      case '\r': esc[1] = 'r'; break;
      case '\t': esc[1] = 't'; break;
      default:
        esc[1] = 'u';
        esc[2] = '0';
        esc[3] = '0';
        esc[4] = hex[c >> 4];
        esc[5] = hex[c & 15];
        len = 6;
    }
    buf_put(b, esc, len);
  }
  buf_put(b, s + run, n - run);
  buf_putc(b, '"');
}

void buf_reset(struct buf *b, size_t headroom) {
  if (b->cap < headroom) {
    buf_reserve(b, headroom);
  }
  b->start = headroom;
  b->end = headroom;
}

void buf_consume(struct buf *b, size_t n) {
  b->start += n;
  if (b->start >= b->end) {
    buf_free(b);
  } else if (b->start > b->cap / 2) {
    size_t len = b->end - b->start;
    memmove(b->data, b->data + b->start, len);
    b->start = 0;
    b->end = len;
  }
}

void buf_free(struct buf *b) {
  free(b->data);
  b->data = NULL;
  b->start = 0;
  b->end = 0;
  b->cap = 0;
}
