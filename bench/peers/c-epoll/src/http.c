#include "http.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool span_equals(struct span s, const char *text) {
  return s.n == strlen(text) && memcmp(s.p, text, s.n) == 0;
}

bool span_iequals(struct span s, const char *text) {
  return s.n == strlen(text) && strncasecmp(s.p, text, s.n) == 0;
}

static struct span trim(const char *p, const char *end) {
  while (p < end && (*p == ' ' || *p == '\t')) {
    p++;
  }
  while (end > p && (end[-1] == ' ' || end[-1] == '\t')) {
    end--;
  }
  return (struct span) {p, (size_t) (end - p)};
}

static bool parse_request_line(const char *p, const char *eol, struct http_request *r) {
  const char *sp1 = memchr(p, ' ', (size_t) (eol - p));
  const char *sp2 = sp1 == NULL ? NULL : memchr(sp1 + 1, ' ', (size_t) (eol - sp1 - 1));
  if (sp1 == NULL || sp2 == NULL || sp1 == p || sp2 == sp1 + 1 || sp1[1] != '/') {
    return false;
  }
  struct span version = {sp2 + 1, (size_t) (eol - sp2 - 1)};
  if (version.n != 8 || memcmp(version.p, "HTTP/1.", 7) != 0 || version.p[7] < '0' || version.p[7] > '9') {
    return false;
  }
  r->minor = version.p[7] - '0';
  r->method = (struct span) {p, (size_t) (sp1 - p)};
  const char *target = sp1 + 1;
  const char *q = memchr(target, '?', (size_t) (sp2 - target));
  r->path = (struct span) {target, (size_t) ((q == NULL ? sp2 : q) - target)};
  r->query = q == NULL ? (struct span) {sp2, 0} : (struct span) {q + 1, (size_t) (sp2 - q - 1)};
  return true;
}

static bool parse_content_length(struct span v, long long *out) {
  if (v.n == 0 || v.n > 15) {
    return false;
  }
  long long n = 0;
  for (size_t i = 0; i < v.n; i++) {
    if (v.p[i] < '0' || v.p[i] > '9') {
      return false;
    }
    n = n * 10 + (v.p[i] - '0');
  }
  *out = n;
  return true;
}

static bool parse_header(struct span name, struct span value, struct http_request *r) {
  if (span_iequals(name, "content-length")) {
    long long n;
    if (!parse_content_length(value, &n) || (r->content_length >= 0 && r->content_length != n)) {
      return false;
    }
    r->content_length = n;
  } else if (span_iequals(name, "upgrade")) {
    r->upgrade = value;
  } else if (span_iequals(name, "connection")) {
    r->connection = value;
  } else if (span_iequals(name, "sec-websocket-key")) {
    r->ws_key = value;
  } else if (span_iequals(name, "sec-websocket-version")) {
    r->ws_version = value;
  } else if (span_iequals(name, "authorization")) {
    r->authorization = value;
  } else if (span_iequals(name, "x-api-key")) {
    r->api_key = value;
  } else if (span_iequals(name, "transfer-encoding")) {
    r->transfer_encoding = value;
  }
  return true;
}

long http_parse_head(const char *p, size_t n, struct http_request *r) {
  const char *end = memmem(p, n, "\r\n\r\n", 4);
  if (end == NULL) {
    return HTTP_INCOMPLETE;
  }
  memset(r, 0, sizeof *r);
  r->content_length = -1;
  r->head_length = (size_t) (end - p) + 4;
  const char *eol = memmem(p, (size_t) (end + 2 - p), "\r\n", 2);
  if (!parse_request_line(p, eol, r)) {
    return HTTP_MALFORMED;
  }
  for (const char *line = eol + 2; line < end + 2; line = eol + 2) {
    eol = memmem(line, (size_t) (end + 2 - line), "\r\n", 2);
    const char *colon = memchr(line, ':', (size_t) (eol - line));
    if (colon == NULL || colon == line || colon[-1] == ' ' || colon[-1] == '\t') {
      return HTTP_MALFORMED;
    }
    if (!parse_header((struct span) {line, (size_t) (colon - line)}, trim(colon + 1, eol), r)) {
      return HTTP_MALFORMED;
    }
  }
  return (long) r->head_length;
}

bool http_has_token(struct span value, const char *token) {
  const char *p = value.p;
  const char *end = value.p + value.n;
  while (p < end) {
    const char *comma = memchr(p, ',', (size_t) (end - p));
    const char *stop = comma == NULL ? end : comma;
    if (span_iequals(trim(p, stop), token)) {
      return true;
    }
    p = stop + 1;
  }
  return false;
}

bool http_keep_alive(const struct http_request *r) {
  if (http_has_token(r->connection, "close")) {
    return false;
  }
  return r->minor >= 1 || http_has_token(r->connection, "keep-alive");
}

static int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* As URLSearchParams reads it: '+' is a space, bad escapes stay as they are. */
static void percent_decode(const char *p, const char *end, struct buf *out) {
  while (p < end) {
    if (*p == '%' && end - p >= 3 && hex_digit(p[1]) >= 0 && hex_digit(p[2]) >= 0) {
      buf_putc(out, (char) (hex_digit(p[1]) << 4 | hex_digit(p[2])));
      p += 3;
    } else {
      buf_putc(out, *p == '+' ? ' ' : *p);
      p++;
    }
  }
}

bool http_query_param(struct span query, const char *name, struct buf *out) {
  size_t name_len = strlen(name);
  const char *p = query.p;
  const char *end = query.p + query.n;
  while (p < end) {
    const char *amp = memchr(p, '&', (size_t) (end - p));
    const char *stop = amp == NULL ? end : amp;
    const char *eq = memchr(p, '=', (size_t) (stop - p));
    const char *key_end = eq == NULL ? stop : eq;
    if ((size_t) (key_end - p) == name_len && memcmp(p, name, name_len) == 0) {
      if (eq != NULL) {
        percent_decode(eq + 1, stop, out);
      }
      return true;
    }
    p = stop + 1;
  }
  return false;
}
