// Herald demo page: one user's connection, channels, chat and a log of everything that arrives.
import { getWebSocket, closeWebSocket } from '/websocket.js'

const $ = (id) => document.getElementById(id)
const params = new URLSearchParams(location.search)
const NOISE = new Set(['heartbeat_ack', 'pong']) // not worth a log line
const MAX_LOG_ENTRIES = 500
let ws = null

// Ids made only of digits are numbers on the wire; "123" and 123 name the same user.
const toUserId = (text) => (/^\d+$/.test(text) ? Number(text) : text)

function init() {
  $('url').value = params.get('url') || localStorage.getItem('herald.demo.url') || `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`
  $('user-id').value = params.get('user_id') || localStorage.getItem('herald.demo.userId') || ''
  $('token').value = params.get('token') || sessionStorage.getItem('herald.demo.token') || ''
  $('connect-form').addEventListener('submit', (event) => { event.preventDefault(); connect() })
  $('disconnect').addEventListener('click', () => ws && ws.disconnect())
  $('sign').addEventListener('click', signToken)
  $('channel-form').addEventListener('submit', (event) => { event.preventDefault(); subscribe($('channel').value.trim()) })
  $('chat-form').addEventListener('submit', (event) => { event.preventDefault(); sendChat() })
  $('broadcast-form').addEventListener('submit', (event) => { event.preventDefault(); sendBroadcast() })
  $('clear-log').addEventListener('click', () => { $('log').replaceChildren(); $('log-empty').hidden = false })
  renderStatus('closed', {})
  if (params.get('autoconnect') === '1' && $('user-id').value && $('token').value) connect()
}

function connect() {
  const userId = $('user-id').value.trim()
  const token = $('token').value.trim()
  const url = $('url').value.trim()
  if (!userId || !token) return
  localStorage.setItem('herald.demo.userId', userId)
  localStorage.setItem('herald.demo.url', url)
  sessionStorage.setItem('herald.demo.token', token)
  if (ws) closeWebSocket() // a fresh client picks up a changed URL, user or token
  ws = getWebSocket(toUserId(userId), token, {
    url,
    maxReconnectAttempts: Infinity, // a demo should ride out server restarts; the library default is 5
    persistPositions: true, // a reload of the page recovers what was sent meanwhile
    onStatusChange: renderStatus,
    onMessage: logMessage,
    onError: (error) => { if (error instanceof Error) log('error', 'Client error', error.message) },
  })
  ws.on('subscribed', renderChannels)
  ws.on('unsubscribed', renderChannels)
  ws.on('resubscribed', ({ channels, failed }) => {
    log('status', 'Channels rejoined', channels.length ? channels.join(', ') : 'none', failed.length ? `failed: ${failed.join(', ')}` : '')
    renderChannels()
  })
  ws.on('recovery', ({ recovered, streams, channels }) => {
    const parts = [...Object.entries(streams), ...Object.entries(channels)]
      .map(([name, s]) => `${name} ${s.recovered ? '✓' : '✗'}${s.offset === null || s.offset === undefined ? '' : ` @${s.offset}`}`)
    log('status', recovered ? 'Recovered: nothing missed' : 'Not fully recovered: reload your data',
      parts.join(', '), 'missed messages, if any, are in the log above', { recovered, streams, channels }, 'recovery')
  })
  ws.connect()
}

function renderStatus(status, info) {
  const pill = $('status')
  pill.textContent = status
  pill.dataset.status = status
  pill.className = `pill ${status}${info.terminal || info.gaveUp ? ' error' : ''}`
  $('connection-detail').textContent = describe(status, info)
  const active = status !== 'closed'
  for (const id of ['user-id', 'token', 'url', 'connect', 'sign']) $(id).disabled = active
  $('disconnect').disabled = !active
  for (const id of ['subscribe', 'chat-send', 'broadcast-send']) $(id).disabled = !active
  // `open` is logged by the server's `connected` frame; `connecting` is what a click on Connect means.
  if (status === 'reconnecting' || (status === 'closed' && info.previous)) log('status', `Status: ${status}`, describe(status, info))
  renderChannels()
}

function describe(status, info) {
  const code = info.code ? ` (close code ${info.code}${info.reason ? `: ${info.reason}` : ''})` : ''
  switch (status) {
    case 'connecting': return 'Connecting…'
    case 'open': return `Connected as ${ws ? ws.userId : ''}.`
    case 'reconnecting':
      return info.delay === undefined ? 'Reconnecting…' : `Connection lost${code}. Retry ${info.attempt} in ${(info.delay / 1000).toFixed(1)} s.`
    default:
      if (info.code === 4001) return `The server rejected the token${code}. Get a new token, then connect again.`
      if (info.code === 4002) return `An administrator disconnected this user${code}. The client will not reconnect by itself.`
      if (info.gaveUp) return `Gave up reconnecting${code}.`
      return info.code ? `Closed${code}.` : 'Not connected.'
  }
}

function subscribe(channel) {
  if (!ws || !channel) return
  const sent = ws.send('subscribe', { channel })
  $('channel').value = ''
  if (!sent) $('send-detail').textContent = `"${channel}" will be joined when the connection is back.`
  renderChannels()
}

function renderChannels() {
  const box = $('channels')
  const channels = ws ? [...ws.channels] : []
  if (channels.length === 0) {
    box.replaceChildren(Object.assign(document.createElement('span'), { className: 'empty', textContent: 'No channels yet.' }))
    return
  }
  box.replaceChildren(...channels.map((channel) => {
    const chip = Object.assign(document.createElement('span'), { className: 'chip', textContent: channel })
    chip.dataset.channel = channel
    const leave = Object.assign(document.createElement('button'), { type: 'button', textContent: '×', title: `Unsubscribe from ${channel}` })
    leave.setAttribute('aria-label', `Unsubscribe from ${channel}`)
    leave.addEventListener('click', () => { ws.send('unsubscribe', { channel }); renderChannels() })
    chip.append(leave)
    return chip
  }))
}

function sendChat() {
  const to = $('chat-to').value.trim()
  const content = $('chat-content').value
  if (!ws || !to || !content) return
  const sent = ws.send('chat', { to_user_id: toUserId(to), content })
  log('chat', `You → ${to}`, content, sent ? '' : 'queued until the connection is back')
  $('chat-content').value = ''
}

function sendBroadcast() {
  const message = $('broadcast-message').value
  if (!ws || !message) return
  const sent = ws.send('broadcast', { message })
  $('send-detail').textContent = sent ? 'Broadcast sent.' : 'Broadcast queued until the connection is back.'
  $('broadcast-message').value = ''
}

function logMessage(message) {
  const { type, data = {}, channel } = message
  if (NOISE.has(type)) return
  const where = channel ? `#${channel}` : ''
  switch (type) {
    case 'connected': return log('status', 'Connected', `user ${data.user_id}, connection ${data.connection_id}`)
    case 'notification': return log('notification', data.title, data.message, [data.type, where].filter(Boolean).join(' · '), data.extra_data)
    case 'chat': return log('chat', `${data.from_user_id} → you`, data.content)
    case 'broadcast': return log('broadcast', `Broadcast from ${data.from_user_id}`, data.message)
    case 'data_update':
      if (data.resource_type) return log('data_update', `${data.resource_type} ${data.action}`, where, '', data.data)
      return log('data_update', 'Data update', where, '', data)
    case 'subscribed': return log('status', `Subscribed to ${data.channel}`)
    case 'unsubscribed': return log('status', `Unsubscribed from ${data.channel}`)
    case 'error': return log('error', `Error: ${data.code}`, data.message)
    case 'recovery': return undefined // the client's recovery event logs the outcome
    default: return log(channel ? 'channel' : type, channel ? `${type} on #${channel}` : type, '', '', data, type)
  }
}

/** Adds a log line at the top: kind badge, title, optional text, note and JSON payload. */
function log(kind, title, text = '', note = '', payload, label = kind) {
  const item = document.createElement('li')
  item.dataset.kind = kind
  const time = Object.assign(document.createElement('time'), { textContent: new Date().toLocaleTimeString([], { hour12: false }) })
  const badge = Object.assign(document.createElement('span'), { className: `kind ${kind}`, textContent: label.replace('_', ' ') })
  const body = Object.assign(document.createElement('div'), { className: 'body' })
  body.append(Object.assign(document.createElement('strong'), { textContent: title ?? '' }))
  if (text) body.append(' ', Object.assign(document.createElement('span'), { textContent: text }))
  if (note) body.append(Object.assign(document.createElement('div'), { className: 'sub', textContent: note }))
  if (payload !== undefined && payload !== null) body.append(Object.assign(document.createElement('pre'), { textContent: JSON.stringify(payload, null, 2) }))
  item.append(time, badge, body)
  $('log').prepend(item)
  while ($('log').children.length > MAX_LOG_ENTRIES) $('log').lastElementChild.remove()
  $('log-empty').hidden = true
}

async function signToken() {
  const userId = $('user-id').value.trim()
  const secret = $('secret').value
  if (!userId || !secret) return void ($('connection-detail').textContent = 'Enter the user id and the secret first.')
  if (!crypto.subtle) return void ($('connection-detail').textContent = 'Signing needs a secure context: open this page on localhost, 127.0.0.1 or HTTPS.')
  const encode = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
  const json = (value) => encode(new TextEncoder().encode(JSON.stringify(value)))
  const now = Math.floor(Date.now() / 1000)
  const unsigned = `${json({ alg: 'HS256', typ: 'JWT' })}.${json({ sub: userId, iat: now, exp: now + 24 * 3600 })}`
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  const signature = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(unsigned))
  $('token').value = `${unsigned}.${encode(signature)}`
  $('connection-detail').textContent = 'Token signed, valid for 24 hours.'
}

init()
