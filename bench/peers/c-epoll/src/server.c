/*
 * The event loop: one thread, one epoll instance, edge-triggered non-blocking sockets. Output goes
 * straight to send(); only what the socket does not take is buffered (and flushed on EPOLLOUT).
 * Connections closed while the loop works through a batch of events are freed after the batch.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "peer.h"
#include "ws.h"

#define MAX_EVENTS 256
#define ACCEPTS_PER_WAKEUP 256
#define READ_CHUNK (64 * 1024 + 16)

static int epoll_fd = -1;
static int listen_fd = -1;
static int spare_fd = -1;          /* given up to accept and drop a client when out of descriptors */
static char listen_tag, signal_tag; /* epoll user data of the two non-connection descriptors */
static struct conn *graveyard;     /* closed during this batch, freed after it */
static struct conn timed = {.timed_prev = &timed, .timed_next = &timed}; /* idle-timeout list, oldest first */
static char read_chunk[READ_CHUNK];

long long now_ms;

static void refresh_clock(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME_COARSE, &ts);
  now_ms = (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void conn_untimed(struct conn *c) {
  if (c->timed_next != NULL) {
    c->timed_prev->timed_next = c->timed_next;
    c->timed_next->timed_prev = c->timed_prev;
    c->timed_next = NULL;
    c->timed_prev = NULL;
  }
}

/* (Re)starts c's timeout; the list stays ordered because every timeout has the same length. */
static void conn_timed(struct conn *c) {
  conn_untimed(c);
  c->deadline_ms = now_ms + IDLE_TIMEOUT_MS;
  c->timed_prev = timed.timed_prev;
  c->timed_next = &timed;
  timed.timed_prev->timed_next = c;
  timed.timed_prev = c;
}

void conn_close(struct conn *c) {
  if (c->dead) {
    return;
  }
  c->dead = true;
  close(c->fd); /* also takes it out of the epoll set */
  conn_untimed(c);
  c->dead_next = graveyard;
  graveyard = c;
}

static void shut_write_side(struct conn *c) {
  shutdown(c->fd, SHUT_WR);
  c->state = CONN_DRAINING;
}

void conn_end(struct conn *c) {
  if (c->dead || c->state >= CONN_CLOSING) {
    return;
  }
  c->state = CONN_CLOSING;
  conn_timed(c);
  if (buf_len(&c->out) == 0) {
    shut_write_side(c);
  }
}

void conn_send(struct conn *c, const void *bytes, size_t n) {
  const char *p = bytes;
  if (c->dead || c->state >= CONN_CLOSING) {
    return;
  }
  while (buf_len(&c->out) == 0 && n > 0) {
    ssize_t sent = send(c->fd, p, n, MSG_NOSIGNAL);
    if (sent > 0) {
      p += sent;
      n -= (size_t) sent;
    } else if (errno == EAGAIN) {
      break;
    } else if (errno != EINTR) {
      conn_close(c);
      return;
    }
  }
  if (n == 0) {
    return;
  }
  if (buf_len(&c->out) + n > MAX_OUTPUT_BYTES) {
    conn_close(c); /* a client this far behind is dropped, not buffered without bound */
    return;
  }
  buf_put(&c->out, p, n);
}

static void flush(struct conn *c) {
  while (buf_len(&c->out) > 0) {
    ssize_t sent = send(c->fd, buf_bytes(&c->out), buf_len(&c->out), MSG_NOSIGNAL);
    if (sent > 0) {
      buf_consume(&c->out, (size_t) sent);
    } else if (errno == EAGAIN) {
      return;
    } else if (errno != EINTR) {
      conn_close(c);
      return;
    }
  }
  if (c->state == CONN_CLOSING) {
    shut_write_side(c);
  }
}

static void feed(struct conn *c, char *p, size_t n) {
  if (buf_len(&c->in) == 0) {
    size_t used = session_input(c, p, n); /* the common case: whole requests and frames, no copy */
    if (!c->dead && used < n) {
      buf_put(&c->in, p + used, n - used);
    }
    return;
  }
  buf_put(&c->in, p, n);
  size_t used = session_input(c, buf_bytes(&c->in), buf_len(&c->in));
  if (!c->dead) {
    buf_consume(&c->in, used);
  }
}

static void on_readable(struct conn *c, uint32_t events) {
  if (c->state == CONN_HTTP) {
    conn_timed(c);
  }
  for (;;) {
    ssize_t n = recv(c->fd, read_chunk, sizeof read_chunk, 0);
    if (n > 0) {
      feed(c, read_chunk, (size_t) n);
      if (c->dead) {
        return;
      }
      /* A short read emptied the socket: a later arrival raises a new edge (unless the peer hung up). */
      if ((size_t) n < sizeof read_chunk && !(events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR))) {
        return;
      }
    } else if (n == 0) {
      conn_close(c);
      return;
    } else if (errno == EAGAIN) {
      return;
    } else if (errno != EINTR) {
      conn_close(c);
      return;
    }
  }
}

static void accept_clients(void) {
  for (int i = 0; i < ACCEPTS_PER_WAKEUP; i++) {
    int fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if ((errno == EMFILE || errno == ENFILE) && spare_fd >= 0) {
        /* Out of descriptors: accept and drop one, rather than leave it to spin the listener. */
        close(spare_fd);
        fd = accept(listen_fd, NULL, NULL);
        if (fd >= 0) {
          close(fd);
        }
        spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
        fprintf(stderr, "out of file descriptors: refused a connection\n");
        continue;
      }
      if (errno == EINTR || errno == ECONNABORTED) {
        continue;
      }
      return; /* EAGAIN: none left */
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct conn *c = xmalloc(sizeof *c);
    memset(c, 0, sizeof *c);
    c->fd = fd;
    c->state = CONN_HTTP;
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, .data.ptr = c};
    if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &ev) != 0) {
      close(fd);
      free(c);
      continue;
    }
    conn_timed(c);
  }
}

static void bury_the_dead(void) {
  while (graveyard != NULL) {
    struct conn *c = graveyard;
    graveyard = c->dead_next;
    group_leave_all(c);
    buf_free(&c->in);
    buf_free(&c->out);
    buf_free(&c->message);
    free(c->user_id);
    free(c);
  }
}

static void expire_timeouts(void) {
  while (timed.timed_next != &timed && timed.timed_next->deadline_ms <= now_ms) {
    conn_close(timed.timed_next);
  }
}

static void on_event(struct epoll_event *ev) {
  struct conn *c = ev->data.ptr;
  if (c->dead) {
    return;
  }
  if (ev->events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
    on_readable(c, ev->events);
  }
  if (!c->dead && (ev->events & EPOLLOUT) && buf_len(&c->out) > 0) {
    flush(c);
  }
}

/* Says goodbye (1001) to every WebSocket, as far as their sockets take it at once. */
static void shut_down(void) {
  static const char goodbye[] = "\x03\xe9server shutting down";
  uint8_t frame[WS_MAX_HEADER + sizeof goodbye];
  size_t n = ws_header(frame, WS_CLOSE, sizeof goodbye - 1);
  memcpy(frame + n, goodbye, sizeof goodbye - 1);
  for (uint32_t i = 0; i < open_sockets.count; i++) {
    conn_send(open_sockets.members[i], frame, n + sizeof goodbye - 1);
  }
}

static int open_listener(void) {
  struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
  struct addrinfo *addresses;
  char port[16];
  snprintf(port, sizeof port, "%d", config.port);
  int rc = getaddrinfo(config.host, port, &hints, &addresses);
  if (rc != 0) {
    fprintf(stderr, "cannot resolve %s: %s\n", config.host, gai_strerror(rc));
    return -1;
  }
  int fd = socket(addresses->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int one = 1;
  if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0
      || bind(fd, addresses->ai_addr, addresses->ai_addrlen) != 0 || listen(fd, SOMAXCONN) != 0) {
    fprintf(stderr, "cannot listen on %s:%d: %s\n", config.host, config.port, strerror(errno));
    freeaddrinfo(addresses);
    return -1;
  }
  freeaddrinfo(addresses);
  return fd;
}

static int watch_signals(void) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigprocmask(SIG_BLOCK, &set, NULL);
  signal(SIGPIPE, SIG_IGN);
  return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

int server_run(void) {
  refresh_clock();
  if ((listen_fd = open_listener()) < 0) {
    return 1;
  }
  int signal_fd = watch_signals();
  epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  struct epoll_event listen_ev = {.events = EPOLLIN, .data.ptr = &listen_tag}; /* level-triggered */
  struct epoll_event signal_ev = {.events = EPOLLIN, .data.ptr = &signal_tag};
  if (signal_fd < 0 || epoll_fd < 0 || epoll_ctl(epoll_fd, EPOLL_CTL_ADD, listen_fd, &listen_ev) != 0
      || epoll_ctl(epoll_fd, EPOLL_CTL_ADD, signal_fd, &signal_ev) != 0) {
    perror("epoll setup");
    return 1;
  }
  printf("listening on ws://%s:%d/ws\n", config.host, config.port);
  fflush(stdout);
  struct epoll_event events[MAX_EVENTS];
  for (;;) {
    int n = epoll_wait(epoll_fd, events, MAX_EVENTS, 1000);
    if (n < 0 && errno != EINTR) {
      perror("epoll_wait");
      return 1;
    }
    refresh_clock();
    for (int i = 0; i < n; i++) {
      if (events[i].data.ptr == &listen_tag) {
        accept_clients();
      } else if (events[i].data.ptr == &signal_tag) {
        shut_down();
        return 0;
      } else {
        on_event(&events[i]);
      }
    }
    expire_timeouts();
    bury_the_dead();
  }
}
