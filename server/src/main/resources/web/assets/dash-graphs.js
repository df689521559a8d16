// Live graphs: the last 15 minutes of every node's per-second samples (GET stats), drawn with uPlot.
import { $, api, every, clock, showResult } from './dash-api.js'

const REFRESH_MS = 1000
const MIN_SPAN_S = 120 // the x axis shows at least two minutes, growing to the whole window
const CARRY_S = 3 // a node's value stands in for up to this many seconds it has no sample for
const PALETTE = ['#4c6ef5', '#2f9e44', '#e8590c', '#ae3ec9', '#0c8599', '#f08c00', '#d6336c', '#5c940d']

let fields = null
let windowS = 900
const nodes = new Map() // node id -> { state, samples: Map(second -> sample array) }
const charts = new Map() // chart name -> { plot, key }
let stop = null
let onUnauthorized = () => {}

export function startGraphs(unauthorized) {
  onUnauthorized = unauthorized
  nodes.clear()
  let first = true
  stop = every(REFRESH_MS, async () => {
    try {
      const data = await api(`stats?samples=${first ? 900 : 5}`)
      first = false
      merge(data)
      draw()
      $('graphs-error').textContent = data.cluster_error || ''
      if (data.cluster_error) $('graphs-error').className = 'banner error'
    } catch (error) {
      if (error.status === 401) return onUnauthorized(error)
      showResult('graphs-error', error)
    }
  })
}

export function stopGraphs() {
  if (stop) stop()
  stop = null
}

function merge(data) {
  fields = Object.fromEntries(data.fields.map((name, i) => [name, i]))
  windowS = data.window_seconds
  const seen = new Set()
  for (const node of data.nodes) {
    seen.add(node.node_id)
    const entry = nodes.get(node.node_id) || { samples: new Map() }
    entry.state = node.state
    for (const sample of node.samples) entry.samples.set(Math.round(sample[fields.time] / 1000), sample)
    nodes.set(node.node_id, entry)
  }
  for (const id of nodes.keys()) if (!seen.has(id)) nodes.delete(id) // forgotten by the server
  const oldest = Date.now() / 1000 - windowS
  for (const entry of nodes.values()) {
    for (const second of entry.samples.keys()) if (second < oldest) entry.samples.delete(second)
  }
}

/** Seconds with a sample on any node, oldest first. */
function seconds() {
  const all = new Set()
  for (const entry of nodes.values()) for (const s of entry.samples.keys()) all.add(s)
  return [...all].sort((a, b) => a - b)
}

/** One node's values of `field` at each second (null where it has none), carrying gaps of up to CARRY_S. */
function column(entry, xs, value) {
  let last = null
  let lastAt = -Infinity
  return xs.map((x) => {
    const sample = entry.samples.get(x)
    if (sample) { last = value(sample); lastAt = x; return last }
    return x - lastAt <= CARRY_S ? last : null
  })
}

const field = (name) => (sample) => sample[fields[name]]

function sum(columns, length) {
  return Array.from({ length }, (_, i) => {
    let total = null
    for (const col of columns) if (col[i] !== null && col[i] !== undefined) total = (total || 0) + col[i]
    return total
  })
}

/** A per-minute sliding sum of a per-interval count. */
function perMinute(values, xs) {
  const out = []
  let start = 0
  let running = 0
  for (let i = 0; i < xs.length; i++) {
    running += values[i] || 0
    while (xs[i] - xs[start] >= 60) running -= values[start++] || 0
    out.push(values[i] === null ? null : running)
  }
  return out
}

function draw() {
  const xs = seconds()
  const ids = [...nodes.keys()].sort()
  updateScope(ids)
  const scope = $('graph-scope').value
  const inScope = scope && nodes.has(scope) ? [nodes.get(scope)] : [...nodes.values()]
  const scoped = (name) => sum(inScope.map((entry) => column(entry, xs, field(name))), xs.length)
  const perNode = (name) => {
    const cols = ids.map((id) => column(nodes.get(id), xs, field(name)))
    if (ids.length === 1) return [{ label: ids[0], values: cols[0] }]
    return [{ label: 'all nodes', values: sum(cols, xs.length), total: true },
      ...ids.map((id, i) => ({ label: id, values: cols[i] }))]
  }
  plot('connections', xs, perNode('connections'))
  plot('users', xs, perNode('users'))
  plot('messages', xs, [{ label: 'in', values: scoped('messages_in') }, { label: 'out', values: scoped('messages_out') }])
  plot('deliveries', xs, [{ label: 'deliveries', values: scoped('deliveries') }])
  plot('problems', xs, [
    { label: 'slow closes', values: perMinute(scoped('slow_consumer_closes'), xs), color: '#f08c00' },
    { label: 'errors', values: perMinute(scoped('errors'), xs), color: '#e03131' },
  ])
  const last = xs[xs.length - 1]
  $('graphs').dataset.lastTime = String(last || '')
  $('graphs-updated').textContent = last ? `updated ${clock(last * 1000)}` : 'waiting for samples'
  const down = ids.filter((id) => nodes.get(id).state === 'down').length
  $('graph-nodes').textContent = `${ids.length} node${ids.length === 1 ? '' : 's'}${down ? `, ${down} down` : ''}`
}

function updateScope(ids) {
  const select = $('graph-scope')
  const wanted = ['', ...ids]
  const have = [...select.options].map((o) => o.value)
  if (wanted.join('\n') === have.join('\n')) return
  const current = select.value
  select.replaceChildren(...wanted.map((id) => new Option(id || 'All nodes (sum)', id)))
  select.value = wanted.includes(current) ? current : ''
}

function css(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim()
}

function plot(name, xs, series) {
  const box = document.querySelector(`.chart[data-chart="${name}"]`)
  const target = box.querySelector('.plot')
  const key = series.map((s) => s.label).join('|') + (matchMedia('(prefers-color-scheme: dark)').matches ? '|dark' : '')
  let chart = charts.get(name)
  if (!chart || chart.key !== key) {
    if (chart) { chart.observer.disconnect(); chart.plot.destroy() }
    const axis = { stroke: css('--muted'), grid: { stroke: css('--grid'), width: 1 }, ticks: { stroke: css('--grid'), width: 1 } }
    const options = {
      width: Math.max(200, target.clientWidth),
      height: 150,
      scales: { x: { time: true, range: (u, min, max) => [max - Math.min(windowS, Math.max(MIN_SPAN_S, max - min)), max] }, y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
      axes: [{ ...axis, values: (u, splits) => splits.map(timeLabel) }, { ...axis, size: 46 }],
      series: [{ label: 'time', value: (u, v) => (v === null || v === undefined ? '–' : clock(v * 1000)) }, ...series.map((s, i) => ({
        label: s.label,
        stroke: s.color || (s.total ? css('--text') : PALETTE[i % PALETTE.length]),
        width: s.total ? 2 : 1.5,
        spanGaps: false,
        points: { show: false },
      }))],
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
    }
    const plotted = new uPlot(options, [xs, ...series.map((s) => s.values)], target)
    const observer = new ResizeObserver(() => plotted.setSize({ width: Math.max(200, target.clientWidth), height: 150 }))
    observer.observe(target)
    chart = { plot: plotted, key, observer }
    charts.set(name, chart)
  } else {
    chart.plot.setData([xs, ...series.map((s) => s.values)])
  }
  const latest = series[0].values[series[0].values.length - 1]
  box.dataset.points = String(xs.length)
  box.dataset.latest = latest === null || latest === undefined ? '' : String(latest)
  box.querySelector('.now').textContent = latest === null || latest === undefined ? '' : format(latest)
}

/** An x-axis tick: HH:MM on whole minutes, else HH:MM:SS. */
const timeLabel = (second) => {
  const text = clock(second * 1000)
  return second % 60 === 0 ? text.slice(0, 5) : text
}

const format = (n) => (Number.isInteger(n) ? String(n) : n.toFixed(1))
