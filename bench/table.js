'use strict';

// Prints the comparison table of bench/run-peers.sh from the load tool's JSON lines.
// The first label in the file is the reference the ratio columns divide by. "load" is the
// machine's 1-minute load average when the run started: above the core count, other work
// competed with the server and the figures are noisy.
//   node bench/table.js results.jsonl

const fs = require('fs');

const file = process.argv[2];
if (!file) {
  console.error('usage: node bench/table.js results.jsonl');
  process.exit(2);
}
const runs = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
if (runs.length === 0) {
  console.log('no results');
  process.exit(0);
}

const fmt = (v, digits = 0) => (v === undefined || v === null || Number.isNaN(v) ? '-' : Number(v).toFixed(digits));
const ms = (us) => (us === undefined ? '-' : (us / 1000).toFixed(us < 10000 ? 2 : 0));
const ratio = (v, ref) => (v === undefined || !ref ? '-' : `${(v / ref).toFixed(2)}x`);

function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padStart(widths[i])).join('  ');
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  rows.forEach((r) => console.log(line(r)));
}

const labels = [...new Set(runs.map((r) => r.label || r.target))];
// With repeated runs, each server is represented by its run with the median `key`.
function byLabel(scenario, key) {
  const groups = new Map();
  runs.filter((r) => r.scenario === scenario).forEach((r) => {
    const label = r.label || r.target;
    if (!groups.has(label)) groups.set(label, []);
    groups.get(label).push(r);
  });
  const medians = new Map();
  groups.forEach((list, label) => {
    const sorted = [...list].sort((a, b) => (key(a) || 0) - (key(b) || 0));
    const median = sorted[Math.floor((sorted.length - 1) / 2)];
    median.runs = list.length;
    medians.set(label, median);
  });
  return medians;
}

for (const scenario of ['fanout', 'broadcast', 'chat']) {
  const results = byLabel(scenario, (r) => r.cpu && r.cpu.deliveries_per_server_cpu_s);
  if (results.size === 0) continue;
  const ref = results.get(labels.find((l) => results.has(l)));
  const refPerCpu = ref.cpu && ref.cpu.deliveries_per_server_cpu_s;
  const refP99 = ref.latency_us && ref.latency_us.p99_us;
  console.log(`\n${scenario}: ${ref.clients} clients${ref.channels ? `, ${ref.channels} channels` : ''}, rate ${ref.rate}/s (ratios against ${ref.label || ref.target})`);
  table(
    ['server', 'deliveries/s', 'p50 ms', 'p99 ms', 'p99.9 ms', 'lost', 'server CPU s', 'deliv/CPU-s', 'vs ref', 'p99 vs ref', 'RSS MiB', 'load', 'runs'],
    labels.filter((l) => results.has(l)).map((l) => {
      const r = results.get(l);
      const perCpu = r.cpu && r.cpu.deliveries_per_server_cpu_s;
      const lat = r.latency_us || {};
      return [l, fmt(r.deliveries.per_second), ms(lat.p50_us), ms(lat.p99_us), ms(lat.p999_us), r.deliveries.lost,
        fmt(r.cpu && r.cpu.server_cpu_s, 2), fmt(perCpu), ratio(perCpu, refPerCpu), ratio(lat.p99_us, refP99),
        r.server_rss_kb ? fmt(r.server_rss_kb / 1024, 1) : '-', fmt(r.loadavg_start, 1), r.runs];
    }),
  );
}

const connects = byLabel('connect', (r) => r.server_rss && r.server_rss.per_connection_bytes);
if (connects.size > 0) {
  const ref = connects.get(labels.find((l) => connects.has(l)));
  const refRss = ref.server_rss && ref.server_rss.per_connection_bytes;
  console.log(`\nconnect: ${ref.clients} clients (ratios against ${ref.label || ref.target})`);
  table(
    ['server', 'ready', 'failed', 'conn/s', 'p99 ready ms', 'RSS before MiB', 'RSS after MiB', 'bytes/conn', 'vs ref', 'CPU us/conn', 'load', 'runs'],
    labels.filter((l) => connects.has(l)).map((l) => {
      const r = connects.get(l);
      const rss = r.server_rss || {};
      return [l, r.connect.ready, r.connect.failed, fmt(r.connect.per_second), ms(r.connect.latency_us.p99_us),
        fmt(rss.before_kb / 1024, 1), fmt(rss.after_kb / 1024, 1), fmt(rss.per_connection_bytes),
        ratio(rss.per_connection_bytes, refRss), fmt(r.server_cpu_us_per_connection), fmt(r.loadavg_start, 1), r.runs];
    }),
  );
}
