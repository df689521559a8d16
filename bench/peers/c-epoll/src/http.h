/* HTTP/1.1 request heads (RFC 9112), parsed in place. */
#ifndef PEER_HTTP_H
#define PEER_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

#define HTTP_MAX_HEAD 8192

struct http_request {
  struct span method;
  struct span path;  /* before '?' */
  struct span query; /* after '?', empty when none */
  int minor;         /* HTTP/1.minor */
  struct span upgrade, connection, ws_key, ws_version, authorization, api_key, transfer_encoding;
  long long content_length; /* -1 when absent */
  size_t head_length;       /* bytes up to and including the blank line */
};

enum http_parse { HTTP_INCOMPLETE = 0, HTTP_MALFORMED = -1 };

/* Parses a request head from p[0..n): returns its length (> 0) and fills r, or enum http_parse. */
long http_parse_head(const char *p, size_t n, struct http_request *r);

/* Whether the connection stays open after this request (HTTP/1.1 default, Connection header). */
bool http_keep_alive(const struct http_request *r);

/* True when the comma-separated header value lists token (case-insensitive). */
bool http_has_token(struct span value, const char *token);

bool span_equals(struct span s, const char *text);
bool span_iequals(struct span s, const char *text);

/* Appends the percent-decoded value of the first query parameter `name`; false when absent. */
bool http_query_param(struct span query, const char *name, struct buf *out);

#endif
