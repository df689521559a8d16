/*
 * Benchmark peer for Herald: the subset of Herald's contract that the load tool drives, written
 * in C on raw epoll, one thread, one send() per delivery. See README.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "peer.h"

struct config config;
struct groups channels;
struct groups users;
struct group open_sockets;

static const char *env_or(const char *name, const char *fallback) {
  const char *value = getenv(name);
  return value != NULL && value[0] != '\0' ? value : fallback;
}

int main(void) {
  config.host = env_or("HERALD_HOST", "127.0.0.1");
  config.port = atoi(env_or("HERALD_PORT", "5200"));
  config.jwt_secret = env_or("HERALD_JWT_SECRET", NULL);
  config.api_key = env_or("HERALD_API_KEY", NULL);
  if (config.jwt_secret == NULL || config.api_key == NULL) {
    fprintf(stderr, "HERALD_JWT_SECRET and HERALD_API_KEY must be set\n");
    return 2;
  }
  if (config.port <= 0 || config.port > 65535) {
    fprintf(stderr, "HERALD_PORT must be a port number\n");
    return 2;
  }
  config.jwt_secret_len = strlen(config.jwt_secret);
  /* One descriptor per connection: take the hard limit, as a server started from systemd would. */
  struct rlimit files;
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
  }
  return server_run();
}
