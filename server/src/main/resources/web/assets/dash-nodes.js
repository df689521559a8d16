// Nodes view: every node's status (GET nodes); a node that stops sharing turns red within the presence TTL.
import { $, api, every, el, showResult, formatBytes, formatDuration } from './dash-api.js'

const REFRESH_MS = 2000
let stop = null

export function startNodes(onUnauthorized) {
  stop = every(REFRESH_MS, async () => {
    try {
      render(await api('nodes'))
      $('nodes-error').textContent = ''
    } catch (error) {
      if (error.status === 401) return onUnauthorized(error)
      showResult('nodes-error', error)
    }
  })
}

export function stopNodes() {
  if (stop) stop()
  stop = null
}

function render(data) {
  const down = data.nodes.filter((n) => n.state === 'down').length
  $('nodes-summary').textContent = `${data.nodes.length} node${data.nodes.length === 1 ? '' : 's'}${down ? ` · ${down} down` : ''}`
  $('nodes-hint').textContent = data.nodes.length > 1 || data.nodes[0]?.broker?.kind === 'redis'
    ? `Cluster mode: a node that has not reported for ${data.down_after_seconds} s (the presence TTL) is shown in red.${data.cluster_error ? ` ${data.cluster_error}` : ''}`
    : 'Single node (in-memory broker).'
  $('node-rows').replaceChildren(...data.nodes.map(row))
}

function row(node) {
  const up = node.state === 'up'
  const tr = el('tr', { className: up ? '' : 'down' })
  tr.dataset.nodeId = node.node_id
  tr.dataset.state = node.state
  const heapShare = node.heap_max_bytes > 0 ? node.heap_used_bytes / node.heap_max_bytes : 0
  const bar = el('span', { className: 'bar' }, el('i'))
  bar.firstChild.style.width = `${Math.round(heapShare * 100)}%`
  const lastSeen = up ? '' : ` · ${formatDuration(node.last_seen_ms / 1000)} ago`
  tr.append(
    el('td', { className: 'mono', textContent: node.node_id + (node.self ? ' (this)' : '') }),
    el('td', {}, el('span', { className: `pill ${up ? 'up' : 'down'}`, textContent: up ? 'up' : `down${lastSeen}` })),
    el('td', { className: 'mono hide-narrow', textContent: node.address }),
    el('td', { className: 'num', textContent: formatDuration(node.uptime_seconds) }),
    el('td', { className: 'num', textContent: String(node.connections) }),
    el('td', { className: 'num', textContent: String(node.users) }),
    el('td', { className: 'num', textContent: node.cpu >= 0 ? `${Math.round(node.cpu * 100)}%` : '–' }),
    el('td', { className: 'num', title: `${formatBytes(node.heap_used_bytes)} of ${formatBytes(node.heap_max_bytes)}` },
      formatBytes(node.heap_used_bytes), bar),
    el('td', { textContent: up ? `${node.broker.kind}${node.broker.kind === 'memory' ? '' : node.broker.healthy ? ' · connected' : ' · unreachable'}` : 'not reporting' }),
    el('td', { className: 'mono hide-narrow', textContent: node.version }),
  )
  return tr
}
