#!/usr/bin/env bash
# Pusher fan-out vs Herald fan-out on one Herald process, in the same sitting: `fanout` (Herald
# protocol, admin API send-to-channel) and `pusher-fanout` (pusher-js-shaped clients on /app/{key},
# signed POST /apps/{id}/events) alternate --repeat times against the same server, and the table
# compares deliveries per server CPU-second. Results: bench/results/pusher-<time>/.
#
#   bench/pusher-fanout.sh [--clients 2000] [--duration PT15S] [--repeat 3]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CLIENTS=2000 DURATION=PT15S REPEAT=3
while [ $# -gt 0 ]; do
  case "$1" in
    --clients) CLIENTS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --repeat) REPEAT=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
jar=$(ls -1t "$ROOT"/server/target/herald-server-*-all.jar | head -n 1)
tool=$(ls -1t "$ROOT"/loadtool/target/herald-loadtool-*-all.jar | head -n 1)
out="$ROOT/bench/results/pusher-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out/server"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export HERALD_JWT_SECRET=bench-secret-0123456789abcdef0123456789 HERALD_API_KEY=bench-key
export HERALD_PUSHER_APP_ID=1 HERALD_PUSHER_APP_KEY=bench-app HERALD_PUSHER_APP_SECRET=bench-secret
(cd "$out/server" && HERALD_PORT=$port HERALD_HOST=127.0.0.1 exec java ${HERALD_JAVA_OPTS:--XX:+UseSerialGC -Xms64m -Xmx512m -Xmn32m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:TrimNativeHeapInterval=5000} -jar "$jar" start) \
  >"$out/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do grep -q "listening on" "$out/server.log" && break; sleep 0.2; done
common=(--port "$port" --clients "$CLIENTS" --channels 1 --rate 0 --duration "$DURATION" --server-pid "$pid")
for i in $(seq 1 "$REPEAT"); do
  for scenario in fanout pusher-fanout; do
    java -jar "$tool" "$scenario" "${common[@]}" \
      2>/dev/null | tail -n 1 >"$out/$scenario-$i.json" || true
    printf '%s run %d: %s deliveries per server CPU-second\n' "$scenario" "$i" \
      "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["cpu"]["deliveries_per_server_cpu_s"])' "$out/$scenario-$i.json")"
  done
done | tee "$out/summary.txt"
python3 - "$out" "$REPEAT" <<'PY' | tee -a "$out/summary.txt"
import json, sys, statistics
out, n = sys.argv[1], int(sys.argv[2])
v = {s: [json.load(open(f"{out}/{s}-{i}.json"))["cpu"]["deliveries_per_server_cpu_s"] for i in range(1, n + 1)] for s in ("fanout", "pusher-fanout")}
h, p = statistics.median(v["fanout"]), statistics.median(v["pusher-fanout"])
print(f"median: herald {h:.0f}, pusher {p:.0f} deliveries per server CPU-second; pusher/herald = {p / h:.2f}")
PY
