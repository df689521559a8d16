#!/usr/bin/env bash
# 102,400 authenticated WebSocket clients on six Herald nodes sharing one Redis, on one machine.
#
#   bench/cluster-100k.sh [--clients 102400] [--nodes 6] [--broadcast-rate 0.25] [--channel-rate 10]
#                         [--channels 64] [--user-rate 1000] [--duration PT30S] [--skip "channels users kill"]
#
# Phases (each one load-tool run that connects every client again, heartbeats on):
#   broadcast  POST /broadcast through node 1's admin API: every client gets every push, counted
#              per client and per node (0 lost, 0 duplicates); latency p50/p99 to all of them.
#   channels   POST /send-to-channel to 64 channels through node 1: each push reaches its channel's
#              subscribers on all six nodes once.
#   users      chat frames between partner clients 2k and 2k+1, which sit on different nodes: each
#              message is a send to one user on another node (route.lua, the node's inbox), at
#              --user-rate messages/s (1,000); each must arrive once.
#   kill       broadcast again; ten seconds into the timed window the last node gets SIGKILL. Only
#              its own clients may miss messages (losses per node port), and the cluster's online
#              count drops by exactly its users within the presence TTL.
# A monitor polls online-count on every node, node RSS, and Redis memory and ops/s every 2 s.
# Prints one summary; the raw JSON lines, logs and samples stay in bench/results/cluster-100k-*/.
#
# Tuning done here: limits.handshake_timeout 60 s (on a crowded 2-core machine 100k handshakes
# queue for tens of seconds; the default 10 s closes the slowest); ulimit -n 20000 (each node holds 102,400 / 6 ≈ 17,100 sockets, under the
# 20,000-file limit); node heap -Xmx640m with the serial collector; load-tool workers sized by the
# tool itself (well under 20,000 sockets each) and source addresses 127.0.0.2+ so no source
# address runs out of ephemeral ports. Redis is Debian's redis-server on a free port (installed
# with apt-get when missing), without persistence.
# Environment: HERALD_JAVA_OPTS, BENCH_OUT, REDIS_SERVER (path of redis-server).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CLIENTS=102400
NODES=6
BROADCAST_RATE=0.25
CHANNEL_RATE=10
CHANNELS=64
USER_RATE=1000
DURATION=PT30S
SKIP=""
PRESENCE_TTL=15

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --clients) CLIENTS=$2; shift 2 ;;
    --nodes) NODES=$2; shift 2 ;;
    --broadcast-rate) BROADCAST_RATE=$2; shift 2 ;;
    --channel-rate) CHANNEL_RATE=$2; shift 2 ;;
    --channels) CHANNELS=$2; shift 2 ;;
    --user-rate) USER_RATE=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --skip) SKIP=$2; shift 2 ;;
    -h|--help) usage ;;
    *) echo "cluster-100k: unknown option $1" >&2; usage ;;
  esac
done

OUT=${BENCH_OUT:-$ROOT/bench/results/cluster-100k-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"
export HERALD_JWT_SECRET=${HERALD_JWT_SECRET:-cluster-100k-secret-0123456789abcdef0123}
export HERALD_API_KEY=${HERALD_API_KEY:-cluster-100k-api-key}
JAVA_OPTS_NODE=${HERALD_JAVA_OPTS:--XX:+UseSerialGC -Xms128m -Xmx640m -XX:+ExitOnOutOfMemoryError}
log() { printf '== %s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# ---- tuning ----
ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
log "open files per process: $(ulimit -n); per node about $((CLIENTS / NODES + 200)) sockets"
if [ "$(ulimit -n)" -lt $((CLIENTS / NODES + 500)) ]; then
  echo "cluster-100k: ulimit -n $(ulimit -n) is too small for $((CLIENTS / NODES)) connections per node" >&2
  exit 2
fi

# ---- build ----
jar_of() { ls "$ROOT"/$1/target/$2-*-all.jar 2>/dev/null | head -1; }
if [ -z "$(jar_of server herald-server)" ] || [ -z "$(jar_of loadtool herald-loadtool)" ]; then
  log "building the server and the load tool"
  (cd "$ROOT" && mvn -q -B -DskipTests package -pl server,loadtool -am)
fi
HERALD_JAR=$(jar_of server herald-server)
LOADTOOL_JAR=$(jar_of loadtool herald-loadtool)

# ---- Redis ----
REDIS_SERVER=${REDIS_SERVER:-$(command -v redis-server || true)}
if [ -z "$REDIS_SERVER" ]; then
  log "installing redis-server (Debian package)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server redis-tools >/dev/null
  REDIS_SERVER=$(command -v redis-server)
fi
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
REDIS_PORT=$(free_port)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM
"$REDIS_SERVER" --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
  --logfile "$OUT/redis.log" &
REDIS_PID=$!
PIDS+=("$REDIS_PID")
rcli() { redis-cli -p "$REDIS_PORT" "$@"; }
for _ in $(seq 1 100); do rcli ping >/dev/null 2>&1 && break; sleep 0.1; done
export HERALD_REDIS_URL=redis://127.0.0.1:$REDIS_PORT

# ---- nodes ----
declare -a NODE_PORT NODE_PID
for i in $(seq 1 "$NODES"); do
  NODE_PORT[$i]=$(free_port)
  mkdir -p "$OUT/node$i"
  (cd "$OUT/node$i" && HERALD_PORT=${NODE_PORT[$i]} HERALD_HOST=127.0.0.1 HERALD_NODE_ID=n$i \
     HERALD_REDIS_PRESENCE_TTL=${PRESENCE_TTL}s HERALD_LIMITS_HANDSHAKE_TIMEOUT=60s exec java $JAVA_OPTS_NODE -jar "$HERALD_JAR" start) \
     >"$OUT/node$i.log" 2>&1 &
  NODE_PID[$i]=$!
  PIDS+=("${NODE_PID[$i]}")
done
admin() { curl -s -m 60 -H "Authorization: Bearer $HERALD_API_KEY" "http://127.0.0.1:$1/admin/websocket/$2"; }
for i in $(seq 1 "$NODES"); do
  for _ in $(seq 1 300); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${NODE_PORT[$i]}/ready")" = 200 ] && break
    sleep 0.2
  done
done
PORTS=$(for i in $(seq 1 "$NODES"); do printf '%s,' "${NODE_PORT[$i]}"; done); PORTS=${PORTS%,}
NODE_PIDS=$(for i in $(seq 1 "$NODES"); do printf '%s,' "${NODE_PID[$i]}"; done); NODE_PIDS=${NODE_PIDS%,}
log "Redis on $REDIS_PORT; nodes on $PORTS (pids $NODE_PIDS)"

# ---- monitor: online count on every node, RSS, Redis memory and ops/s ----
SAMPLES="$OUT/samples.tsv"
printf 't\tphase\tonline_per_node\trss_kb_per_node\tredis_used_memory\tredis_ops_per_sec\n' >"$SAMPLES"
echo idle >"$OUT/phase"
monitor() {
  set +e +o pipefail # a slow or failed sample must not end the monitor
  while :; do
    local counts="" rss=""
    for i in $(seq 1 "$NODES"); do
      if kill -0 "${NODE_PID[$i]}" 2>/dev/null; then
        counts+="$(admin "${NODE_PORT[$i]}" online-count | python3 -c 'import json,sys
try: print(json.load(sys.stdin)["data"]["online_count"])
except Exception: print("-")' 2>/dev/null),"
        rss+="$(awk '/VmRSS/ {print $2}' "/proc/${NODE_PID[$i]}/status" 2>/dev/null),"
      else
        counts+="dead,"; rss+="0,"
      fi
    done
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(date +%s.%N | cut -c1-14)" "$(cat "$OUT/phase")" "${counts%,}" "${rss%,}" \
      "$(rcli info memory | awk -F: '/^used_memory:/ {print $2+0}')" \
      "$(rcli info stats | awk -F: '/^instantaneous_ops_per_sec:/ {print $2+0}')" >>"$SAMPLES"
    sleep 2
  done
}
monitor &
MONITOR_PID=$!
PIDS+=("$MONITOR_PID")

redis_stats() { rcli info stats | tr -d '\r' | awk -F: '/^(total_commands_processed|total_net_input_bytes|total_net_output_bytes):/ {printf "%s=%s ", $1, $2}'; echo; }

loadtool() { # phase, extra args...
  local phase=$1; shift
  echo "$phase" >"$OUT/phase"
  log "phase $phase: $CLIENTS clients over $NODES nodes"
  echo "$phase before $(redis_stats)" >>"$OUT/redis-stats.txt"
  rcli config resetstat >/dev/null
  local rc=0
  java -jar "$LOADTOOL_JAR" cluster --ports "$PORTS" --push-port "${NODE_PORT[1]}" --node-pids "$NODE_PIDS" \
    --clients "$CLIENTS" --connect-timeout PT900S --handshake-timeout PT120S --max-inflight 128 \
    --drain-timeout PT60S --label "$phase" "$@" >"$OUT/$phase.out" 2>"$OUT/$phase.err" || rc=$?
  rcli info commandstats | tr -d '\r' | grep -E 'cmdstat_(evalsha|publish|eval|subscribe|unsubscribe):' \
    | sed "s/^/$phase /" >>"$OUT/redis-stats.txt" || true
  echo "$phase after $(redis_stats)" >>"$OUT/redis-stats.txt"
  grep '^{' "$OUT/$phase.out" >"$OUT/$phase.json" || true
  echo "$rc" >"$OUT/$phase.rc"
  echo idle >"$OUT/phase"
  log "phase $phase: exit $rc"
}

skipped() { case " $SKIP " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

if ! skipped broadcast; then
  loadtool broadcast --route broadcast --rate "$BROADCAST_RATE" --duration "$DURATION" --warmup PT4S
fi
if ! skipped channels; then
  loadtool channels --route channels --channels "$CHANNELS" --rate "$CHANNEL_RATE" --duration "$DURATION" --warmup PT4S
fi
if ! skipped users; then
  # chat frames from client 2k to 2k+1 and back: partners sit on different nodes, so every message
  # is a send to one user on another node (route.lua, the node inbox), as send-to-user is.
  echo users >"$OUT/phase"
  log "phase users: chat between $CLIENTS clients, partners on different nodes"
  echo "users before $(redis_stats)" >>"$OUT/redis-stats.txt"
  rcli config resetstat >/dev/null
  rc=0
  java -jar "$LOADTOOL_JAR" chat --ports "$PORTS" --node-pids "$NODE_PIDS" --port "${NODE_PORT[1]}" \
    --clients "$CLIENTS" --connect-timeout PT900S --handshake-timeout PT120S --max-inflight 128 \
    --drain-timeout PT60S --label users --rate "$USER_RATE" --duration "$DURATION" --warmup PT4S \
    >"$OUT/users.out" 2>"$OUT/users.err" || rc=$?
  rcli info commandstats | tr -d '\r' | grep -E 'cmdstat_(evalsha|publish|eval):' | sed "s/^/users /" >>"$OUT/redis-stats.txt" || true
  echo "users after $(redis_stats)" >>"$OUT/redis-stats.txt"
  grep '^{' "$OUT/users.out" >"$OUT/users.json" || true
  echo "$rc" >"$OUT/users.rc"
  echo idle >"$OUT/phase"
  log "phase users: exit $rc"
fi
EXPECTED_AFTER=""
if ! skipped kill; then
  VICTIM=$NODES
  (
    set +e +o pipefail
    count() { admin "$1" online-count | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["online_count"])' 2>/dev/null; }
    while ! grep -q 'pushing for' "$OUT/kill.err" 2>/dev/null; do sleep 0.5; done
    sleep 10
    before=""
    while [ -z "$before" ]; do before=$(count "${NODE_PORT[1]}"); done
    theirs=$(curl -s -m 20 "http://127.0.0.1:${NODE_PORT[$VICTIM]}/health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["users"])')
    echo "$((before - theirs))" >"$OUT/kill.expected"
    date +%s.%N >"$OUT/kill.at"
    kill -9 "${NODE_PID[$VICTIM]}"
    echo "online $before, victim's users $theirs" >"$OUT/kill.before"
    deadline=$(( $(date +%s) + PRESENCE_TTL + 60 ))
    while [ "$(date +%s)" -lt "$deadline" ]; do
      if [ "$(count "${NODE_PORT[1]}")" = "$((before - theirs))" ]; then date +%s.%N >"$OUT/kill.dropped"; break; fi
      sleep 0.2
    done
  ) &
  KILLER=$!
  loadtool kill --route broadcast --rate "$BROADCAST_RATE" --duration PT40S --warmup PT4S
  wait "$KILLER" 2>/dev/null || true
fi

kill "$MONITOR_PID" 2>/dev/null || true

# ---- summary ----
python3 - "$OUT" "$CLIENTS" "$NODES" "$PRESENCE_TTL" "${NODE_PORT[$NODES]}" <<'EOF'
import json, os, sys
out, clients, nodes, ttl = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
victim = sys.argv[5]
try:
    expected_after = int(open(os.path.join(out, "kill.expected")).read())
except (OSError, ValueError):
    expected_after = -1
def load(phase):
    p = os.path.join(out, phase + ".json")
    if not os.path.exists(p) or os.path.getsize(p) == 0:
        return None
    return json.loads(open(p).read().splitlines()[-1])
samples = [l.rstrip("\n").split("\t") for l in open(os.path.join(out, "samples.tsv")).readlines()[1:]]
ok = True
print("cluster-100k: %d clients, %d Herald nodes, one Redis; results in %s" % (clients, nodes, out))
readies = [r["connect"]["ready"] for r in (load(p) for p in ("broadcast", "channels", "users", "kill")) if r]
full = [s for s in samples if len(set(s[2].split(","))) == 1 and s[2].split(",")[0] in [str(r) for r in readies]]
print("online count on every node equal to the clients connected (%s of %d): %s"
      % ("/".join(str(r) for r in readies), clients, "yes (%d samples)" % len(full) if full else "NEVER SEEN"))
ok &= bool(full)
peak_rss = max((sum(int(x or 0) for x in s[3].split(",")) for s in samples), default=0)
peak_mem = max((int(s[4] or 0) for s in samples), default=0)
peak_ops = max((int(s[5] or 0) for s in samples), default=0)
if full:
    rss = [int(x) for x in full[-1][3].split(",")]
    print("node RSS with everyone connected: %s MiB; %.1f KB per connection (total RSS / connections)"
          % ("/".join(str(r // 1024) for r in rss), sum(rss) * 1024 / clients / 1000))
    print("Redis used_memory with everyone online: %.1f MiB (%.0f bytes per online user)"
          % (int(full[-1][4]) / 2**20, int(full[-1][4]) / clients))
print("Redis peak ops/s: %d; peak used_memory %.1f MiB" % (peak_ops, peak_mem / 2**20))
for phase in ("broadcast", "channels", "users", "kill"):
    r = load(phase)
    if r is None:
        continue
    c, d, lat = r.get("connect", {}), r.get("deliveries", {}), r.get("latency_us", {})
    rc = open(os.path.join(out, phase + ".rc")).read().strip()
    print("%-9s connected %s/%d in %.1f s (%.0f/s); pushes %s ok; deliveries %s/%s, lost %s, duplicates %s; "
          "latency p50 %.1f ms p99 %.1f ms max %.1f ms; %.0f deliveries/s; exit %s"
          % (phase, c.get("ready"), clients, c.get("seconds", 0), c.get("per_second", 0),
             r.get("pushes", {}).get("ok"), d.get("received"), d.get("expected"), d.get("lost"), d.get("duplicates"),
             lat.get("p50_us", 0) / 1000, lat.get("p99_us", 0) / 1000, lat.get("max_us", 0) / 1000,
             d.get("per_second", 0), rc))
    cpu = r.get("cpu", {})
    if cpu:
        print("          server CPU %.1f s for %s deliveries (%s deliveries per CPU-second over %d nodes)"
              % (cpu.get("server_cpu_s", 0), d.get("measured"), cpu.get("deliveries_per_server_cpu_s"), nodes))
    if c.get("ready") != clients:
        print("          %s of %d connections failed: %s" % (c.get("failed"), clients, c.get("failures")))
    if r.get("pushes", {}).get("errors"):
        print("          pushes failed: %s" % r["pushes"].get("error_kinds"))
    if r.get("pushes", {}).get("timed_out"):
        print("          pushes timed out: %s, of which %s reached clients (counted as delivered)"
              % (r["pushes"]["timed_out"], r["pushes"].get("timed_out_delivered")))
    if phase != "kill":
        ok &= d.get("lost") == 0 and d.get("duplicates") == 0
    else:
        lost = r.get("lost_per_port", {})
        others = {p: n for p, n in lost.items() if p != victim}
        print("          after SIGKILL of the last node: lost per node port %s (victim %s)" % (lost, victim))
        print("          the other nodes' clients lost %d, duplicates %s" % (sum(others.values()), d.get("duplicates")))
        ok &= sum(others.values()) == 0 and d.get("duplicates") == 0
        try:
            at = float(open(os.path.join(out, "kill.at")).read())
            dropped = float(open(os.path.join(out, "kill.dropped")).read())
            print("          " + open(os.path.join(out, "kill.before")).read().strip())
            print("          online count fell to %d (the victim's users gone) %.1f s after SIGKILL (TTL %d s)"
                  % (expected_after, dropped - at, ttl))
            ok &= dropped - at <= ttl + 2
        except (OSError, ValueError):
            print("          online count never fell to %d" % expected_after)
            ok = False
print("RESULT: %s" % ("PASS" if ok else "FAIL"))
sys.exit(0 if ok else 1)
EOF
