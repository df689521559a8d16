#!/usr/bin/env bash
# What the dashboard's statistics cost an idle node: CPU time of the sampler thread
# (herald-stats) over a minute, on one node and in cluster mode (a throwaway redis-server on a
# free loopback port), and the Redis memory of one node's series.
#
#   bench/dashboard-sampler.sh [SECONDS]      # default 60; needs the jar (mvn -pl server package) and redis-server
#
# Thread CPU comes from /proc/<pid>/task/<tid>/stat (utime + stime, in clock ticks), so other load
# on the machine changes it little.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECONDS_TO_WATCH=${1:-60}
JAR=$(ls -1t "$ROOT"/server/target/herald-server-*-all.jar | head -n 1)
TICK_MS=$((1000 / $(getconf CLK_TCK)))
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
RPORT=$(free_port)
redis-server --port "$RPORT" --bind 127.0.0.1 --save '' --appendonly no >/dev/null &
RPID=$!
trap 'kill $RPID 2>/dev/null || true' EXIT
sleep 1
for mode in memory redis; do
  PORT=$(free_port)
  DIR=$(mktemp -d)
  REDIS_URL=""
  [ "$mode" = redis ] && REDIS_URL="redis://127.0.0.1:$RPORT"
  HERALD_REDIS_URL=$REDIS_URL HERALD_JWT_SECRET=sampler-secret-0123456789abcdef0123456789 HERALD_API_KEY=sampler \
    HERALD_PORT=$PORT HERALD_HOST=127.0.0.1 HERALD_DATA_DIR="$DIR/data" HERALD_LOG_DIR="$DIR/logs" \
    java -Xmx256m -jar "$JAR" start >"$DIR/out" 2>&1 &
  PID=$!
  for _ in $(seq 1 150); do grep -q "listening on" "$DIR/out" && break; sleep 0.2; done
  sleep 5
  TASK=$(dirname "$(grep -l '^herald-stats$' /proc/$PID/task/*/comm | head -n 1)")
  T0=$(awk '{print $14 + $15}' "$TASK/stat")
  sleep "$SECONDS_TO_WATCH"
  T1=$(awk '{print $14 + $15}' "$TASK/stat")
  echo "$mode: herald-stats used $(( (T1 - T0) * TICK_MS )) ms of CPU in $SECONDS_TO_WATCH s"
  if [ "$mode" = redis ]; then
    NODE=$(redis-cli -p "$RPORT" hkeys herald:stats:nodes | head -n 1)
    echo "redis: series of $NODE holds $(redis-cli -p "$RPORT" llen "herald:stats:series:$NODE") samples in $(redis-cli -p "$RPORT" memory usage "herald:stats:series:$NODE") bytes"
  fi
  kill "$PID"
  wait "$PID" 2>/dev/null || true
done
