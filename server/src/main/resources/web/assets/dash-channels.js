// Channels view: channels with subscribers (GET channels: cluster-wide counts, sorted, searched, paged)
// and the recent messages of the selected one (GET history, when the server keeps history).
import { $, api, every, el, showResult } from './dash-api.js'
import { watch } from './dash-inspector.js'

const REFRESH_MS = 2000
const PAGE = 25
const view = { q: '', sort: 'subscribers', order: 'desc', offset: 0, total: 0, selected: null }
let stop = null
let searchTimer = null
let wired = false

export function startChannels(onUnauthorized) {
  if (!wired) wire()
  stop = every(REFRESH_MS, () => refresh(onUnauthorized))
}

export function stopChannels() {
  if (stop) stop()
  stop = null
}

function wire() {
  wired = true
  $('channel-search').addEventListener('input', () => {
    clearTimeout(searchTimer)
    searchTimer = setTimeout(() => { view.q = $('channel-search').value.trim(); view.offset = 0; refresh() }, 250)
  })
  for (const button of document.querySelectorAll('#channels button.sort')) {
    button.addEventListener('click', () => {
      const sort = button.dataset.sort
      view.order = view.sort === sort ? (view.order === 'desc' ? 'asc' : 'desc') : (sort === 'name' ? 'asc' : 'desc')
      view.sort = sort
      view.offset = 0
      refresh()
    })
  }
  $('channels-prev').addEventListener('click', () => { view.offset = Math.max(0, view.offset - PAGE); refresh() })
  $('channels-next').addEventListener('click', () => { if (view.offset + PAGE < view.total) { view.offset += PAGE; refresh() } })
  $('channel-inspect').addEventListener('click', () => {
    if (view.selected) watch('channel', view.selected)
    $('inspector').scrollIntoView({ behavior: 'smooth' })
  })
}

async function refresh(onUnauthorized = () => {}) {
  const query = new URLSearchParams({ q: view.q, sort: view.sort, order: view.order, offset: view.offset, limit: PAGE })
  try {
    render(await api(`channels?${query}`))
    $('channels-error').textContent = ''
  } catch (error) {
    if (error.status === 401) return onUnauthorized(error)
    showResult('channels-error', error)
  }
}

function render(data) {
  view.total = data.total
  $('channels-summary').textContent = `${data.total} with subscribers${data.nodes_reporting > 1 ? ` · counts from ${data.nodes_reporting} nodes` : ''}`
  $('channels-empty').hidden = data.total > 0
  $('channels-page').textContent = data.total ? `${data.offset + 1}–${data.offset + data.channels.length} of ${data.total}` : ''
  $('channels-prev').disabled = data.offset === 0
  $('channels-next').disabled = data.offset + data.channels.length >= data.total
  for (const button of document.querySelectorAll('#channels button.sort')) {
    if (button.dataset.sort === view.sort) button.setAttribute('aria-sort', view.order === 'asc' ? 'ascending' : 'descending')
    else button.removeAttribute('aria-sort')
  }
  $('channel-rows').replaceChildren(...data.channels.map((c) => {
    const tr = el('tr', { className: 'clickable', tabIndex: 0 },
      el('td', { className: 'mono', textContent: c.channel }),
      el('td', { className: 'num', textContent: String(c.subscribers) }),
      el('td', { className: 'num', textContent: String(c.nodes) }))
    tr.dataset.channel = c.channel
    tr.setAttribute('aria-selected', String(c.channel === view.selected))
    tr.addEventListener('click', () => select(c.channel))
    tr.addEventListener('keydown', (event) => { if (event.key === 'Enter') select(c.channel) })
    return tr
  }))
}

async function select(channel) {
  view.selected = channel
  for (const tr of $('channel-rows').children) tr.setAttribute('aria-selected', String(tr.dataset.channel === channel))
  $('channel-detail').classList.remove('hidden')
  $('channel-detail-name').textContent = channel
  $('history-rows').replaceChildren()
  $('history-table').hidden = true
  const state = $('history-state')
  state.dataset.state = 'loading'
  state.textContent = 'Loading recent messages…'
  try {
    const history = await api(`history?channel=${encodeURIComponent(channel)}`)
    if (view.selected !== channel) return
    const messages = history.messages || []
    state.dataset.state = 'loaded'
    state.textContent = messages.length ? `${messages.length} recent messages (epoch ${history.epoch})` : 'No recent messages kept for this channel.'
    $('history-table').hidden = messages.length === 0
    $('history-rows').replaceChildren(...messages.slice().reverse().map((m) => el('tr', {},
      el('td', { className: 'num mono', textContent: String(m.offset) }),
      el('td', { textContent: m.type }),
      el('td', { className: 'mono', textContent: JSON.stringify(m.data).slice(0, 200) }))))
  } catch (error) {
    if (view.selected !== channel) return
    if (error.status === 404) {
      state.dataset.state = 'unavailable'
      state.textContent = 'History not available: this server does not keep channel history. Use "Watch live" to see new messages.'
    } else {
      state.dataset.state = 'error'
      state.textContent = `Cannot load history: ${error.status ? `${error.status}: ` : ''}${error.message}`
    }
  }
}
