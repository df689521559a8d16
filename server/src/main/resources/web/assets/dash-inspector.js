// Message inspector: the admin SSE stream GET inspect?channel=…|user_id=…, read with fetch (EventSource
// cannot send the API key header). Paused, events are held (at most MAX_HELD) and shown on resume.
import { $, apiBase, authHeaders, unwrap, el, clock, showResult, ApiError } from './dash-api.js'

const MAX_ROWS = 300
const MAX_HELD = 500
let controller = null
let paused = false
let held = []
let shown = 0
let wired = false

export function initInspector() {
  if (wired) return
  wired = true
  $('inspect-form').addEventListener('submit', (event) => {
    event.preventDefault()
    if (controller) stopInspector()
    else watch($('inspect-kind').value, $('inspect-target').value.trim())
  })
  $('inspect-pause').addEventListener('click', () => setPaused(!paused))
  $('inspect-clear').addEventListener('click', () => { $('inspect-rows').replaceChildren(); shown = 0; count() })
}

/** Watches a user (kind "user_id") or a channel (kind "channel"), replacing any stream open. */
export async function watch(kind, target) {
  if (!target) return
  stopInspector()
  $('inspect-kind').value = kind
  $('inspect-target').value = target
  $('inspect-error').textContent = ''
  $('inspect-dropped').textContent = '0'
  const mine = new AbortController()
  controller = mine
  setState('connecting', `connecting to ${kind === 'channel' ? 'channel' : 'user'} ${target}`)
  $('inspect-start').textContent = 'Stop'
  $('inspect-pause').disabled = false
  try {
    const response = await fetch(`${apiBase()}/admin/websocket/inspect?${kind}=${encodeURIComponent(target)}`, {
      headers: authHeaders(), signal: mine.signal,
    })
    if (response.status !== 200) await unwrap(response)
    await read(response.body.getReader(), mine)
    if (controller === mine) finish('closed', 'stream ended')
  } catch (error) {
    if (controller !== mine) return // stopped or replaced
    finish('closed error', 'stopped')
    showResult('inspect-error', error instanceof ApiError ? error : new ApiError(0, error.message))
  }
}

export function stopInspector() {
  const running = controller
  controller = null
  if (running) running.abort()
  finish('closed', 'stopped')
}

function finish(kind, text) {
  setState(kind, text)
  $('inspect-start').textContent = 'Watch'
  $('inspect-pause').disabled = true
  setPaused(false)
}

async function read(reader, mine) {
  const decoder = new TextDecoder()
  let buffer = ''
  for (;;) {
    const { value, done } = await reader.read()
    if (done || controller !== mine) return
    buffer += decoder.decode(value, { stream: true })
    let end
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      event(block)
    }
  }
}

function event(block) {
  let name = 'message'
  let data = ''
  for (const line of block.split('\n')) {
    if (line.startsWith('event: ')) name = line.slice(7)
    else if (line.startsWith('data: ')) data += line.slice(6)
  }
  if (!data) return // a keepalive comment
  const payload = JSON.parse(data)
  if (name === 'hello') {
    const what = payload.channel !== undefined ? `channel ${payload.channel}` : `user ${payload.user_id}`
    setState('open', `watching ${what}`)
    $('inspector').dataset.cap = String(payload.events_per_second)
  } else if (name === 'dropped') {
    $('inspect-dropped').textContent = String(payload.dropped)
  } else if (name === 'message') {
    if (paused) {
      held.push(payload)
      if (held.length > MAX_HELD) held.shift()
      count()
    } else {
      show(payload)
    }
  }
}

function show(m) {
  const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`
  const delivered = m.route === 'channel' ? plural(m.local_connections, 'connection')
    : `${plural(m.local_users, 'user')}, ${plural(m.local_connections, 'connection')}${m.route === 'all' ? ' (broadcast)' : ''}`
  const row = el('tr', {},
    el('td', { className: 'mono', textContent: clock(m.time) }),
    el('td', { textContent: m.type }),
    el('td', { className: 'num', textContent: `${m.size} B` }),
    el('td', { textContent: delivered }),
    el('td', { className: 'preview', textContent: m.preview + (m.truncated ? '…' : ''), title: m.preview }))
  row.dataset.type = m.type
  const rows = $('inspect-rows')
  rows.prepend(row)
  while (rows.children.length > MAX_ROWS) rows.lastChild.remove()
  shown++
  count()
}

function setPaused(value) {
  paused = value
  $('inspect-pause').textContent = paused ? 'Resume' : 'Pause'
  $('inspect-pause').setAttribute('aria-pressed', String(paused))
  if (!paused) {
    const waiting = held
    held = []
    waiting.forEach(show)
  }
  count()
}

function count() {
  $('inspect-shown').textContent = String(shown)
  $('inspect-held').textContent = String(held.length)
}

function setState(kind, text) {
  const pill = $('inspect-state')
  pill.className = `pill ${kind}`
  pill.textContent = text
}
