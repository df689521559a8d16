#include "hub.h"

#include <stdlib.h>
#include <string.h>

#include "conn.h"

static size_t hash(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ull; /* FNV-1a */
  for (size_t i = 0; i < n; i++) {
    h = (h ^ (uint8_t) s[i]) * 1099511628211ull;
  }
  return (size_t) h;
}

struct group *groups_find(const struct groups *t, const char *name, size_t n) {
  if (t->bucket_count == 0) {
    return NULL;
  }
  for (struct group *g = t->buckets[hash(name, n) & (t->bucket_count - 1)]; g != NULL; g = g->next) {
    if (g->name_len == n && memcmp(g->name, name, n) == 0) {
      return g;
    }
  }
  return NULL;
}

static void grow(struct groups *t) {
  size_t count = t->bucket_count == 0 ? 64 : t->bucket_count * 2;
  struct group **buckets = calloc(count, sizeof *buckets);
  if (buckets == NULL) {
    abort();
  }
  for (size_t i = 0; i < t->bucket_count; i++) {
    struct group *g = t->buckets[i];
    while (g != NULL) {
      struct group *next = g->next;
      size_t b = hash(g->name, g->name_len) & (count - 1);
      g->next = buckets[b];
      buckets[b] = g;
      g = next;
    }
  }
  free(t->buckets);
  t->buckets = buckets;
  t->bucket_count = count;
}

struct group *groups_get(struct groups *t, const char *name, size_t n) {
  struct group *g = groups_find(t, name, n);
  if (g != NULL) {
    return g;
  }
  if (t->count >= t->bucket_count) {
    grow(t);
  }
  g = xmalloc(sizeof *g + n);
  memset(g, 0, sizeof *g);
  g->table = t;
  g->name_len = n;
  memcpy(g->name, name, n);
  size_t b = hash(name, n) & (t->bucket_count - 1);
  g->next = t->buckets[b];
  t->buckets[b] = g;
  t->count++;
  return g;
}

static void groups_remove(struct groups *t, struct group *g) {
  struct group **link = &t->buckets[hash(g->name, g->name_len) & (t->bucket_count - 1)];
  while (*link != g) {
    link = &(*link)->next;
  }
  *link = g->next;
  t->count--;
  free(g->members);
  free(g);
}

static struct membership *membership_of(struct conn *c, const struct group *g) {
  for (uint32_t i = 0; i < c->membership_count; i++) {
    if (c->memberships[i].group == g) {
      return &c->memberships[i];
    }
  }
  return NULL;
}

void group_join(struct group *g, struct conn *c) {
  if (membership_of(c, g) != NULL) {
    return;
  }
  if (g->count == g->cap) {
    g->cap = g->cap == 0 ? 4 : g->cap * 2;
    g->members = xrealloc(g->members, g->cap * sizeof *g->members);
  }
  if (c->membership_count == c->membership_cap) {
    c->membership_cap = c->membership_cap == 0 ? 4 : c->membership_cap * 2;
    c->memberships = xrealloc(c->memberships, c->membership_cap * sizeof *c->memberships);
  }
  c->memberships[c->membership_count++] = (struct membership) {g, g->count};
  g->members[g->count++] = c;
}

void group_leave(struct group *g, struct conn *c) {
  struct membership *m = membership_of(c, g);
  if (m == NULL) {
    return;
  }
  /* The group's last member takes the leaver's place. */
  uint32_t position = m->position;
  struct conn *last = g->members[--g->count];
  g->members[position] = last;
  membership_of(last, g)->position = position;
  *m = c->memberships[--c->membership_count];
  if (g->count == 0 && g->table != NULL) {
    groups_remove(g->table, g);
  }
}

void group_leave_all(struct conn *c) {
  while (c->membership_count > 0) {
    group_leave(c->memberships[c->membership_count - 1].group, c);
  }
  free(c->memberships);
  c->memberships = NULL;
  c->membership_cap = 0;
}
