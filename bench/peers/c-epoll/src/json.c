#include "json.h"

#include <string.h>

#define MAX_DEPTH 64

static const char *skip_ws(const char *p, const char *end) {
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) {
    p++;
  }
  return p;
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* p at the opening quote; returns the byte after the closing quote, or NULL. */
static const char *string_end(const char *p, const char *end) {
  for (p++; p < end; p++) {
    unsigned char c = (unsigned char) *p;
    if (c == '"') {
      return p + 1;
    }
    if (c < 0x20) {
      return NULL;
    }
    if (c != '\\') {
      continue;
    }
    if (++p >= end) {
      return NULL;
    }
    if (*p == 'u') {
      if (end - p < 5) {
        return NULL;
      }
      for (int i = 1; i <= 4; i++) {
        if (hex_value(p[i]) < 0) {
          return NULL;
        }
      }
      p += 4;
    } else if (strchr("\"\\/bfnrt", *p) == NULL || *p == '\0') {
      return NULL;
    }
  }
  return NULL;
}

static const char *digits(const char *p, const char *end) {
  const char *start = p;
  while (p < end && *p >= '0' && *p <= '9') {
    p++;
  }
  return p == start ? NULL : p;
}

static const char *number_end(const char *p, const char *end) {
  if (p < end && *p == '-') {
    p++;
  }
  if (p < end && *p == '0') {
    p++;
  } else if ((p = digits(p, end)) == NULL) {
    return NULL;
  }
  if (p < end && *p == '.' && (p = digits(p + 1, end)) == NULL) {
    return NULL;
  }
  if (p < end && (*p == 'e' || *p == 'E')) {
    p++;
    if (p < end && (*p == '+' || *p == '-')) {
      p++;
    }
    p = digits(p, end);
  }
  return p;
}

static const char *literal_end(const char *p, const char *end, const char *word) {
  size_t n = strlen(word);
  return (size_t) (end - p) >= n && memcmp(p, word, n) == 0 ? p + n : NULL;
}

static const char *value_end(const char *p, const char *end, int depth);

/* p at '{' or '['; returns the byte after the matching close, or NULL. */
static const char *container_end(const char *p, const char *end, int depth) {
  char close = *p == '{' ? '}' : ']';
  bool object = *p == '{';
  p = skip_ws(p + 1, end);
  if (p < end && *p == close) {
    return p + 1;
  }
  for (;;) {
    if (object) {
      if (p >= end || *p != '"' || (p = string_end(p, end)) == NULL) {
        return NULL;
      }
      p = skip_ws(p, end);
      if (p >= end || *p != ':') {
        return NULL;
      }
      p = skip_ws(p + 1, end);
    }
    if ((p = value_end(p, end, depth + 1)) == NULL) {
      return NULL;
    }
    p = skip_ws(p, end);
    if (p < end && *p == ',') {
      p = skip_ws(p + 1, end);
    } else if (p < end && *p == close) {
      return p + 1;
    } else {
      return NULL;
    }
  }
}

static const char *value_end(const char *p, const char *end, int depth) {
  if (p >= end || depth > MAX_DEPTH) {
    return NULL;
  }
  switch (*p) {
    case '{':
    case '[': return container_end(p, end, depth);
    case '"': return string_end(p, end);
    case 't': return literal_end(p, end, "true");
    case 'f': return literal_end(p, end, "false");
    case 'n': return literal_end(p, end, "null");
    default: return number_end(p, end);
  }
}

static bool key_equals(const char *raw, size_t n, const char *name) {
  if (memchr(raw, '\\', n) == NULL) {
    return n - 2 == strlen(name) && memcmp(raw + 1, name, n - 2) == 0;
  }
  struct buf key = {0};
  json_string_decode((struct span) {raw, n}, &key);
  bool equal = buf_len(&key) == strlen(name) && memcmp(buf_bytes(&key), name, buf_len(&key)) == 0;
  buf_free(&key);
  return equal;
}

enum json_result json_object_fields(const char *text, size_t n, struct json_field *fields, int count) {
  const char *end = text + n;
  const char *p = skip_ws(text, end);
  const char *after = value_end(p, end, 0);
  for (int i = 0; i < count; i++) {
    fields[i].value = (struct span) {NULL, 0};
  }
  if (after == NULL || skip_ws(after, end) != end) {
    return JSON_INVALID;
  }
  if (*p != '{') {
    return JSON_NOT_OBJECT;
  }
  /* Valid: walk the members without re-checking. */
  p = skip_ws(p + 1, end);
  while (*p == '"') {
    const char *key = p;
    p = string_end(p, end);
    size_t key_len = (size_t) (p - key);
    p = skip_ws(skip_ws(p, end) + 1, end);
    const char *value = p;
    p = value_end(p, end, 1);
    for (int i = 0; i < count; i++) {
      if (key_equals(key, key_len, fields[i].name)) {
        fields[i].value = (struct span) {value, (size_t) (p - value)};
      }
    }
    p = skip_ws(p, end);
    if (*p == ',') {
      p = skip_ws(p + 1, end);
    }
  }
  return JSON_OK;
}

bool json_is_string(struct span value) {
  return value.p != NULL && value.n > 0 && value.p[0] == '"';
}

bool json_is_object(struct span value) {
  return value.p != NULL && value.n > 0 && value.p[0] == '{';
}

static void put_utf8(struct buf *out, unsigned cp) {
  char b[4];
  size_t n;
  if (cp < 0x80) {
    b[0] = (char) cp;
    n = 1;
  } else if (cp < 0x800) {
    b[0] = (char) (0xc0 | (cp >> 6));
    b[1] = (char) (0x80 | (cp & 0x3f));
    n = 2;
  } else if (cp < 0x10000) {
    b[0] = (char) (0xe0 | (cp >> 12));
    b[1] = (char) (0x80 | ((cp >> 6) & 0x3f));
    b[2] = (char) (0x80 | (cp & 0x3f));
    n = 3;
  } else {
    b[0] = (char) (0xf0 | (cp >> 18));
    b[1] = (char) (0x80 | ((cp >> 12) & 0x3f));
    b[2] = (char) (0x80 | ((cp >> 6) & 0x3f));
    b[3] = (char) (0x80 | (cp & 0x3f));
    n = 4;
  }
  buf_put(out, b, n);
}

static unsigned hex4(const char *p) {
  return (unsigned) (hex_value(p[0]) << 12 | hex_value(p[1]) << 8 | hex_value(p[2]) << 4 | hex_value(p[3]));
}

bool json_string_decode(struct span value, struct buf *out) {
  if (!json_is_string(value)) {
    return false;
  }
  const char *p = value.p + 1;
  const char *end = value.p + value.n - 1; /* the closing quote */
  while (p < end) {
    const char *run = p;
    while (p < end && *p != '\\') {
      p++;
    }
    buf_put(out, run, (size_t) (p - run));
    if (p >= end) {
      break;
    }
    char c = p[1];
    p += 2;
    switch (c) {
      case 'b': buf_putc(out, '\b'); break;
      case 'f': buf_putc(out, '\f'); break;
      case 'n': buf_putc(out, '\n'); break;
      case 'r': buf_putc(out, '\r'); break;
      case 't': buf_putc(out, '\t'); break;
      case 'u': {
        unsigned cp = hex4(p);
        p += 4;
        if (cp >= 0xd800 && cp < 0xdc00 && end - p >= 6 && p[0] == '\\' && p[1] == 'u') {
          unsigned low = hex4(p + 2);
          if (low >= 0xdc00 && low < 0xe000) {
            cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
            p += 6;
          }
        }
        put_utf8(out, cp >= 0xd800 && cp < 0xe000 ? 0xfffd : cp); /* a lone surrogate */
        break;
      }
      default: buf_putc(out, c); /* " \ / */
    }
  }
  return true;
}

bool utf8_valid(const char *text, size_t n) {
  const unsigned char *p = (const unsigned char *) text;
  const unsigned char *end = p + n;
  while (p < end) {
    unsigned c = *p;
    if (c < 0x80) {
      p++;
      continue;
    }
    size_t len;
    unsigned cp;
    if (c >= 0xc2 && c <= 0xdf) {
      len = 2;
      cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
      len = 3;
      cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if ((size_t) (end - p) < len) {
      return false;
    }
    for (size_t i = 1; i < len; i++) {
      if ((p[i] & 0xc0) != 0x80) {
        return false;
      }
      cp = (cp << 6) | (p[i] & 0x3f);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp < 0xe000))) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff))) {
      return false;
    }
    p += len;
  }
  return true;
}
