/*
 * Groups of connections: one per channel, one per user, and one of every open WebSocket. A
 * connection remembers its memberships with its position in each group, so leaving is O(1).
 */
#ifndef PEER_HUB_H
#define PEER_HUB_H

#include <stddef.h>
#include <stdint.h>

struct conn;
struct groups;

struct group {
  struct group *next;     /* hash chain */
  struct groups *table;   /* NULL for a group that lives outside a table */
  struct conn **members;
  uint32_t count;
  uint32_t cap;
  size_t name_len;
  char name[];
};

/* A hash table of named groups; a zeroed struct is empty. Empty groups are freed. */
struct groups {
  struct group **buckets;
  size_t bucket_count;
  size_t count; /* groups in the table */
};

struct membership {
  struct group *group;
  uint32_t position;
};

struct group *groups_find(const struct groups *t, const char *name, size_t n);
/* The group of that name, created when missing. */
struct group *groups_get(struct groups *t, const char *name, size_t n);

/* Adds c to g unless it is a member already. */
void group_join(struct group *g, struct conn *c);
/* Takes c out of g (if a member); a table's group is freed when it empties. */
void group_leave(struct group *g, struct conn *c);
/* Takes c out of every group it is in. */
void group_leave_all(struct conn *c);

#endif
