/*
 * Just enough JSON for the peer: validate a text, pick named members of an object as raw spans,
 * decode a string value. Values are never converted to a tree; a pushed message's `data` is the
 * caller's raw (already validated) text, copied once into the outgoing frame.
 */
#ifndef PEER_JSON_H
#define PEER_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

enum json_result { JSON_OK = 0, JSON_INVALID = -1, JSON_NOT_OBJECT = -2 };

/* A member to look for: set name; after json_object_fields, value.p is NULL when absent. */
struct json_field {
  const char *name;
  struct span value;
};

/*
 * Checks that text is exactly one JSON value; when it is an object, fills each field with the raw
 * text of the member of that name (the last one, as JSON.parse keeps). JSON_NOT_OBJECT for any
 * other valid value.
 */
enum json_result json_object_fields(const char *text, size_t n, struct json_field *fields, int count);

/* True when a raw value is a JSON string / an object. */
bool json_is_string(struct span value);
bool json_is_object(struct span value);

/* Decodes a raw JSON string value into out (UTF-8, no quotes); false when value is not a string. */
bool json_string_decode(struct span value, struct buf *out);

/* True when p[0..n) is well-formed UTF-8 (RFC 3629). */
bool utf8_valid(const char *p, size_t n);

#endif
