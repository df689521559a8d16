/**
 * Herald WebSocket client: one zero-dependency ES module for browsers and Node.js.
 *
 *   const ws = getWebSocket(userId, token, { onMessage: (m) => console.log(m) })
 *   ws.on('notification', (data) => show(data.title, data.message))
 *   ws.connect()
 *
 * Every frame is JSON `{type, data}`. What the client does for you:
 * - Routing: `on(type, fn)` handlers get `fn(data, message)`; `onMessage(message)` sees every frame.
 * - Heartbeat: a `heartbeat` frame every 30 s (or the server's `heartbeat_interval`). When nothing
 *   at all arrives within `pongTimeout` after it, the link is dead even if the browser has not noticed:
 *   the socket is dropped and the client reconnects.
 * - Reconnect: capped exponential backoff with full jitter (`backoffDelay`), 5 attempts by default,
 *   never after close code 4001 (unauthorized) or 4002 (disconnected by an administrator). In a
 *   browser the `online` event ends a backoff wait early.
 * - Channels joined with `send('subscribe', {channel})` are joined again after a reconnect, then the
 *   client emits `resubscribed`.
 * - Status `closed | connecting | open | reconnecting`, reported through `on('status', fn)` and
 *   `onStatusChange`.
 * - `send` while not open queues up to `maxQueueSize` frames (oldest dropped first) and flushes them
 *   once the server has accepted the next connection. Heartbeats are never queued; subscribe and
 *   unsubscribe update the channel set instead of the queue.
 * - Recovery: the client remembers the position (epoch, offset) of the last message of each stream
 *   (its user stream, the all-users stream, each channel) and presents them on every reconnect; the
 *   server replays what was missed to the ordinary `on(type)` handlers, then the client emits
 *   `recovery` with `{recovered, streams, channels}`. `recovered` is false when something could not
 *   be replayed: the application should reload its state. `persistPositions: true` keeps positions in
 *   sessionStorage so a page reload recovers too.
 */

/** Close codes used by Herald (see docs/protocol.md). */
export const CloseCode = Object.freeze({
  NORMAL: 1000,
  GOING_AWAY: 1001, // server shutting down or draining: reconnect
  PROTOCOL_ERROR: 1002, // a malformed frame or close code reached the server: reconnect
  ABNORMAL: 1006, // connection lost without a close frame: reconnect
  TOO_BIG: 1009,
  TRY_AGAIN_LATER: 1013, // credentials could not be checked now (the application or JWKS behind Herald is down): reconnect with backoff
  UNAUTHORIZED: 4001, // terminal: retrying with the same token cannot succeed
  KICKED: 4002, // terminal: an administrator disconnected this user
  HEARTBEAT_TIMEOUT: 4003, // sent by the server, or reported by this client when the pong deadline passes
  POLICY: 4008, // rate limit or policy: reconnect with backoff
})

const TERMINAL_CODES = new Set([CloseCode.UNAUTHORIZED, CloseCode.KICKED])

export const Status = Object.freeze({
  CLOSED: 'closed',
  CONNECTING: 'connecting',
  OPEN: 'open',
  RECONNECTING: 'reconnecting',
})

const DEFAULTS = Object.freeze({
  url: undefined, // default: ws(s)://<page host>/ws in a browser; required in Node.js
  WebSocket: undefined, // default: globalThis.WebSocket
  heartbeatInterval: undefined, // ms; default: the server's heartbeat_interval, else 30000
  pongTimeout: 10000, // ms to wait for any frame after a heartbeat
  connectTimeout: 10000, // ms from opening a socket to the server's `connected` frame
  maxReconnectAttempts: 5, // Infinity: never give up; 0: never reconnect
  reconnectBaseDelay: 1000, // ms
  reconnectMaxDelay: 30000, // ms
  maxQueueSize: 50, // frames kept by send() while not open; 0 disables queueing. Herald allows bursts of 100 frames.
  random: Math.random, // injectable for tests
  getToken: undefined, // async () => token: called before each reconnect and when the server says the token expires soon
  getSubscriptionToken: undefined, // async (channel) => token or null: called for every subscribe and re-subscribe
  recover: true, // present stream positions on every connection and replay what was missed
  persistPositions: false, // true: keep positions in sessionStorage (or pass a Storage-like object)
})

const STREAM_KINDS = ['user', 'all']

const DEFAULT_HEARTBEAT_MS = 30000

/**
 * Delay before reconnect attempt number `attempt` (0 for the first): full jitter over a capped
 * exponential, i.e. uniform in [0, min(maxDelay, baseDelay * 2^attempt)).
 */
export function backoffDelay(attempt, { baseDelay = 1000, maxDelay = 30000, random = Math.random } = {}) {
  const ceiling = Math.min(maxDelay, baseDelay * 2 ** Math.min(attempt, 30))
  return Math.floor(random() * ceiling)
}

export class WebSocketClient {
  /**
   * @param {string|number|null} userId sent as `user_id`; omit (null) to let the token's `sub` decide
   * @param {string} token JWT sent as `token`
   * @param {object} [options] callbacks (`onOpen`, `onMessage`, `onError`, `onClose`, `onStatusChange`) and tuning, see DEFAULTS
   */
  constructor(userId, token, options = {}) {
    this.userId = userId
    this.token = token
    this.options = { ...DEFAULTS, ...options }
    this.status = Status.CLOSED
    this.channels = new Set() // channels to (re)join on every accepted connection
    this.queue = [] // frames waiting for an accepted connection
    this.handlers = new Map() // type -> Set of handlers
    this.socket = null
    this.openEvent = null
    this.accepted = false // the server sent its first frame on the current socket
    this.attempt = 0 // reconnect attempts since the last accepted connection
    this.wasAccepted = false // some earlier socket was accepted: the next acceptance is a reconnect
    this.serverHeartbeatMs = null
    this.timers = { reconnect: null, heartbeat: null, pong: null, connect: null, resubscribe: null, recovery: null }
    this.pendingResubscribe = null // {waiting: Set, failed: []} while rejoining channels after a reconnect
    this.generation = 0 // bumped by disconnect(): answers of getToken() for an older generation are dropped
    this.positions = { user: null, all: null, channels: {} } // stream -> {epoch, offset} of the last message seen
    this.pendingRecovery = null // {streams, channels, waiting: Set} while a reconnect's replay is under way
    this.loadPositions()
    // In a browser, coming back online ends a backoff wait at once instead of waiting up to 30 s.
    this.onOnline = () => { if (this.status === Status.RECONNECTING && !this.socket) this.connect() }
  }

  /** Opens the connection. No-op when already open or connecting; skips a pending backoff wait. */
  connect() {
    if (this.socket) return this
    clearTimeout(this.timers.reconnect)
    this.timers.reconnect = null
    if (this.status !== Status.RECONNECTING) {
      this.attempt = 0
      this.setStatus(Status.CONNECTING)
    }
    if (typeof window !== 'undefined' && window.addEventListener) window.addEventListener('online', this.onOnline)
    this.open()
    return this
  }

  /** Closes the connection for good (code 1000) and stops reconnecting. Queued frames are dropped; the channel set is kept for a later connect(). */
  disconnect() {
    this.generation += 1
    this.clearTimers()
    this.queue = []
    this.attempt = 0
    this.wasAccepted = false
    if (typeof window !== 'undefined' && window.removeEventListener) window.removeEventListener('online', this.onOnline)
    const socket = this.socket
    if (socket) {
      this.detach(socket)
      socket.close(CloseCode.NORMAL, 'client disconnect')
    }
    this.setStatus(Status.CLOSED, { code: CloseCode.NORMAL, reason: 'client disconnect' })
    if (socket) this.callback('onClose', { code: CloseCode.NORMAL, reason: 'client disconnect', wasClean: true })
    return this
  }

  /**
   * Sends `{type, data}`. Returns true when written to an accepted connection, false otherwise
   * (queued, dropped, or for subscribe/unsubscribe: remembered and sent on the next connection).
   */
  send(type, data = {}) {
    if (typeof type !== 'string' || type === '') throw new TypeError(`type must be a non-empty string: ${JSON.stringify(type)}`)
    if (type === 'subscribe' || type === 'unsubscribe') {
      const channel = data && data.channel
      if (typeof channel !== 'string' || channel === '') throw new TypeError(`data.channel must be a non-empty string: ${JSON.stringify(channel)}`)
      if (type === 'subscribe') this.channels.add(channel)
      else {
        this.channels.delete(channel)
        delete this.positions.channels[channel]
        this.savePositions()
        // A channel left while a reconnect's replay is under way is no longer waited for.
        if (this.pendingRecovery && this.pendingRecovery.waiting.delete(`channel:${channel}`)) this.settleRecovery()
      }
      if (!this.accepted) return false
      if (type === 'subscribe' && this.options.getSubscriptionToken) return this.subscribeWithToken(channel, data)
      return this.write({ type, data: type === 'subscribe' ? { ...this.subscribeData(channel), ...data } : data })
    }
    if (this.accepted) return this.write({ type, data })
    if (type !== 'heartbeat' && this.options.maxQueueSize > 0) {
      this.queue.push({ type, data })
      if (this.queue.length > this.options.maxQueueSize) this.queue.shift()
    }
    return false
  }

  subscribe(channel) { return this.send('subscribe', { channel }) }
  unsubscribe(channel) { return this.send('unsubscribe', { channel }) }

  /**
   * Listens for frames of one `type`: `handler(data, message)`; `message` is the whole frame and may
   * carry `channel`. Client events: `status` (`handler(status, {status, previous, code?, reason?, delay?})`)
   * and `resubscribed` (`handler({channels, failed})`). Returns a function that removes the handler.
   */
  on(type, handler) {
    if (typeof handler !== 'function') throw new TypeError('handler must be a function')
    if (!this.handlers.has(type)) this.handlers.set(type, new Set())
    this.handlers.get(type).add(handler)
    return () => this.off(type, handler)
  }

  /** Removes one handler, or every handler of `type` when `handler` is omitted. */
  off(type, handler) {
    if (handler === undefined) this.handlers.delete(type)
    else if (this.handlers.has(type)) this.handlers.get(type).delete(handler)
    return this
  }

  // --- connection lifecycle ---

  /** Opens a socket; with `getToken`, asks it for a fresh token first on reconnects (and when there is none). */
  open() {
    const getToken = this.options.getToken
    if (typeof getToken !== 'function' || (this.token && !this.wasAccepted && this.attempt === 0)) {
      this.openSocket()
      return
    }
    const generation = this.generation
    Promise.resolve().then(() => getToken()).then((token) => {
      if (generation !== this.generation || this.socket) return
      if (token) this.token = token
      this.openSocket()
    }, (error) => {
      if (generation !== this.generation || this.socket) return
      this.callback('onError', error)
      this.handleClose({ code: CloseCode.ABNORMAL, reason: `getToken failed: ${error && error.message}`, wasClean: false })
    })
  }

  openSocket() {
    const Impl = this.options.WebSocket || globalThis.WebSocket
    if (typeof Impl !== 'function') throw new Error('no WebSocket implementation: pass options.WebSocket (e.g. the "ws" package in Node.js)')
    const url = this.buildUrl()
    this.accepted = false
    this.openEvent = null
    let socket
    try {
      socket = new Impl(url)
    } catch (error) {
      this.callback('onError', error)
      this.handleClose({ code: CloseCode.ABNORMAL, reason: String(error && error.message), wasClean: false })
      return
    }
    this.socket = socket
    socket.onopen = (event) => { this.openEvent = event }
    socket.onmessage = (event) => this.handleFrame(event)
    socket.onerror = (event) => this.callback('onError', event)
    socket.onclose = (event) => {
      this.detach(socket)
      this.handleClose(event)
    }
    this.timers.connect = setTimeout(() => this.drop(CloseCode.ABNORMAL, `not accepted within ${this.options.connectTimeout} ms`), this.options.connectTimeout)
  }

  buildUrl() {
    let base = this.options.url
    if (!base) {
      if (typeof location === 'undefined') throw new Error('options.url is required outside a browser, e.g. ws://127.0.0.1:5200/ws')
      base = '/ws'
    }
    const url = typeof location === 'undefined' ? new URL(base) : new URL(base, location.href)
    if (url.protocol === 'http:') url.protocol = 'ws:'
    if (url.protocol === 'https:') url.protocol = 'wss:'
    if (this.userId !== null && this.userId !== undefined) url.searchParams.set('user_id', String(this.userId))
    if (this.token) url.searchParams.set('token', this.token)
    // A first connection without saved positions keeps the plain URL; it asks where the streams
    // stand with a `recover` frame once accepted (see rejoin).
    if (this.options.recover && (this.wasAccepted || this.hasPositions())) {
      url.searchParams.set('recover', '1')
      for (const kind of STREAM_KINDS) {
        const position = this.positions[kind]
        if (position) {
          url.searchParams.set(`${kind}_epoch`, position.epoch)
          url.searchParams.set(`${kind}_offset`, String(position.offset))
        }
      }
    }
    return url.toString()
  }

  handleFrame(event) {
    let message
    try {
      const text = typeof event.data === 'string' ? event.data : new TextDecoder().decode(event.data)
      message = JSON.parse(text)
    } catch (error) {
      this.callback('onError', new Error(`ignored a frame that is not JSON: ${error.message}`))
      return
    }
    if (!message || typeof message.type !== 'string') return
    clearTimeout(this.timers.pong) // any frame proves the link is alive
    this.timers.pong = null
    const first = !this.accepted
    const reconnected = this.wasAccepted
    if (first) this.accept(message)
    else if (this.pendingResubscribe) this.trackResubscribe(message)
    if (message.type === 'token_expiring') this.refreshToken()
    const refused = message.type === 'error' && message.data && message.data.channel
    if (refused) this.channels.delete(refused) // not joined, so not to be rejoined
    this.track(message)
    this.callback('onMessage', message)
    if (message.type !== 'recovery') this.emit(message.type, message.data, message)
    if (first && this.accepted) this.rejoin(reconnected) // unless a handler disconnected meanwhile
  }

  /** The server accepted the socket (its first frame is `connected`): the connection is open. */
  accept(message) {
    clearTimeout(this.timers.connect)
    this.timers.connect = null
    this.accepted = true
    this.wasAccepted = true
    this.attempt = 0
    if (message.type === 'connected' && message.data && Number(message.data.heartbeat_interval) > 0) {
      this.serverHeartbeatMs = Number(message.data.heartbeat_interval) * 1000
    }
    this.startHeartbeat()
    this.setStatus(Status.OPEN)
    this.callback('onOpen', this.openEvent || { type: 'open' })
  }

  /** Joins the channel set again, then sends what was queued while not open. */
  rejoin(reconnected) {
    const presented = this.options.recover && (reconnected || this.hasPositions())
    if (presented) this.startRecovery()
    else if (this.options.recover) this.write({ type: 'recover', data: {} }) // learn where the streams stand
    for (const channel of this.channels) {
      if (this.options.getSubscriptionToken) this.subscribeWithToken(channel, { channel })
      else this.write({ type: 'subscribe', data: this.subscribeData(channel) })
    }
    if (reconnected) this.awaitResubscribe()
    const queued = this.queue
    this.queue = []
    for (const frame of queued) this.write(frame)
  }

  /** Decides what follows a closed socket, then tells onClose (which may call connect() or disconnect()). */
  handleClose(event) {
    this.socket = null
    this.accepted = false
    this.clearTimers()
    const info = { code: event.code, reason: event.reason }
    const max = this.options.maxReconnectAttempts
    if (TERMINAL_CODES.has(event.code)) {
      this.queue = []
      this.setStatus(Status.CLOSED, { ...info, terminal: true })
    } else if (this.attempt >= max) {
      this.setStatus(Status.CLOSED, { ...info, gaveUp: max > 0 })
    } else {
      const delay = backoffDelay(this.attempt, {
        baseDelay: this.options.reconnectBaseDelay,
        maxDelay: this.options.reconnectMaxDelay,
        random: this.options.random,
      })
      this.attempt += 1
      this.setStatus(Status.RECONNECTING, { ...info, attempt: this.attempt, delay })
      this.timers.reconnect = setTimeout(() => {
        this.timers.reconnect = null
        this.open()
      }, delay)
    }
    this.callback('onClose', event)
  }

  /** Gives up on the current socket without waiting for the close handshake (a dead link never completes it). */
  drop(code, reason) {
    const socket = this.socket
    if (!socket) return
    this.detach(socket)
    if (typeof socket.terminate === 'function') socket.terminate() // Node "ws": no close handshake
    else socket.close(code >= 4000 ? code : CloseCode.NORMAL, reason)
    this.handleClose({ code, reason, wasClean: false })
  }

  detach(socket) {
    socket.onopen = socket.onmessage = socket.onclose = null
    socket.onerror = () => {} // late errors from a dropped socket are not ours to report
    if (this.socket === socket) {
      this.socket = null
      this.accepted = false
    }
  }

  // --- heartbeat ---

  startHeartbeat() {
    clearInterval(this.timers.heartbeat)
    const interval = this.options.heartbeatInterval || this.serverHeartbeatMs || DEFAULT_HEARTBEAT_MS
    this.timers.heartbeat = setInterval(() => {
      this.write({ type: 'heartbeat', data: { timestamp: Date.now() } })
      if (!this.timers.pong) {
        const timeout = this.options.pongTimeout
        this.timers.pong = setTimeout(() => this.drop(CloseCode.HEARTBEAT_TIMEOUT, `no frame within ${timeout} ms of a heartbeat`), timeout)
      }
    }, interval)
  }

  // --- resubscription after a reconnect ---

  awaitResubscribe() {
    this.pendingResubscribe = { waiting: new Set(this.channels), failed: [] }
    this.timers.resubscribe = setTimeout(() => this.finishResubscribe(), this.options.pongTimeout)
    if (this.channels.size === 0) this.finishResubscribe()
  }

  trackResubscribe(message) {
    const { waiting, failed } = this.pendingResubscribe
    const channel = message.channel || (message.data && message.data.channel)
    if (message.type === 'subscribed') waiting.delete(channel)
    if (message.type === 'error' && waiting.has(channel)) {
      waiting.delete(channel)
      failed.push(channel)
    }
    if (waiting.size === 0) this.finishResubscribe()
  }

  finishResubscribe() {
    if (!this.pendingResubscribe) return
    clearTimeout(this.timers.resubscribe)
    const { waiting, failed } = this.pendingResubscribe
    this.pendingResubscribe = null
    const allFailed = [...failed, ...waiting]
    const channels = [...this.channels].filter((c) => !allFailed.includes(c))
    this.emit('resubscribed', { channels, failed: allFailed })
  }

  // --- tokens ---

  /** Sends a subscribe carrying the token `getSubscriptionToken(channel)` gives (none when it gives none) and the channel's recovery position. */
  subscribeWithToken(channel, data) {
    const socket = this.socket
    Promise.resolve().then(() => this.options.getSubscriptionToken(channel)).then((token) => {
      if (this.socket !== socket || !this.accepted || !this.channels.has(channel)) return
      // The recovery position is read now: it is where the channel stands when the subscribe leaves.
      const subscribe = { ...this.subscribeData(channel), ...data, channel }
      this.write({ type: 'subscribe', data: token ? { ...subscribe, token } : subscribe })
    }, (error) => {
      this.callback('onError', error)
      if (this.socket === socket && this.accepted && this.channels.has(channel)) {
        this.write({ type: 'subscribe', data: { ...this.subscribeData(channel), ...data, channel } })
      }
    })
    return true
  }

  /** The server warned that the token expires soon: send a fresh one from `getToken()` (else it closes with 4001). */
  refreshToken() {
    const getToken = this.options.getToken
    if (typeof getToken !== 'function') return
    const socket = this.socket
    Promise.resolve().then(() => getToken()).then((token) => {
      if (!token || this.socket !== socket || !this.accepted) return
      this.token = token
      this.write({ type: 'refresh', data: { token } })
    }, (error) => this.callback('onError', error))
  }

  // --- positions and recovery ---

  subscribeData(channel) {
    if (!this.options.recover) return { channel }
    const position = this.positions.channels[channel]
    return position ? { channel, recover: true, epoch: position.epoch, offset: position.offset } : { channel, recover: true }
  }

  hasPositions() {
    return Boolean(this.positions.user || this.positions.all || Object.keys(this.positions.channels).length)
  }

  /** Remembers the stream position a frame carries, and the outcome of recovery answers. */
  track(message) {
    const data = message.data || {}
    if (message.type === 'recovery') {
      const pending = this.pendingRecovery
      for (const kind of STREAM_KINDS) {
        const s = data.streams && data.streams[kind]
        if (s) this.setPosition(kind, null, s)
      }
      for (const [channel, s] of Object.entries(data.channels || {})) {
        this.setPosition('channel', channel, s)
        if (pending && pending.waiting.delete(`channel:${channel}`)) pending.channels[channel] = s
      }
      if (pending && data.streams) {
        pending.streams = data.streams
        pending.waiting.delete('streams')
      }
      if (pending) this.settleRecovery()
      return
    }
    if (message.type === 'subscribed' && this.pendingRecovery && this.pendingRecovery.waiting.delete(`channel:${data.channel}`)) {
      // No recovery frame came first: the channel keeps no history, so nothing missed could be replayed.
      this.pendingRecovery.channels[data.channel] = { recovered: false, history: false }
      this.settleRecovery()
      return
    }
    if (message.type === 'error' && this.pendingRecovery && data.channel &&
        this.pendingRecovery.waiting.delete(`channel:${data.channel}`)) {
      this.pendingRecovery.channels[data.channel] = { recovered: false, error: data.code }
      this.settleRecovery()
      return
    }
    if (typeof message.offset !== 'number' || typeof message.epoch !== 'string') return
    if (typeof message.channel === 'string') this.setPosition('channel', message.channel, message)
    else if (STREAM_KINDS.includes(message.stream)) this.setPosition(message.stream, null, message)
  }

  setPosition(kind, channel, { epoch, offset }) {
    if (typeof epoch !== 'string' || typeof offset !== 'number') return
    const current = kind === 'channel' ? this.positions.channels[channel] : this.positions[kind]
    if (current && current.epoch === epoch && current.offset >= offset) return
    const next = { epoch, offset }
    if (kind === 'channel') {
      if (!this.channels.has(channel)) return
      this.positions.channels[channel] = next
    } else {
      this.positions[kind] = next
    }
    this.savePositions()
  }

  startRecovery() {
    const waiting = new Set(['streams'])
    for (const channel of this.channels) waiting.add(`channel:${channel}`)
    this.pendingRecovery = { streams: {}, channels: {}, waiting }
    clearTimeout(this.timers.recovery)
    this.timers.recovery = setTimeout(() => this.settleRecovery(true), Math.max(this.options.pongTimeout, this.options.connectTimeout))
  }

  settleRecovery(timedOut = false) {
    const pending = this.pendingRecovery
    if (!pending || (pending.waiting.size > 0 && !timedOut)) return
    clearTimeout(this.timers.recovery)
    this.timers.recovery = null
    this.pendingRecovery = null
    for (const key of pending.waiting) {
      if (key.startsWith('channel:')) pending.channels[key.slice(8)] = { recovered: false, error: 'timeout' }
    }
    const all = [...Object.values(pending.streams), ...Object.values(pending.channels)]
    const recovered = !timedOut && !pending.waiting.has('streams') && all.every((s) => s.recovered !== false)
    this.emit('recovery', { recovered, streams: pending.streams, channels: pending.channels })
  }

  storage() {
    const p = this.options.persistPositions
    if (!p) return null
    if (typeof p === 'object') return p
    return typeof sessionStorage === 'undefined' ? null : sessionStorage
  }

  storageKey() {
    return `herald:positions:${this.userId === null || this.userId === undefined ? '' : this.userId}`
  }

  loadPositions() {
    const storage = this.storage()
    if (!storage) return
    try {
      const saved = JSON.parse(storage.getItem(this.storageKey()) || 'null')
      if (saved && typeof saved === 'object') {
        this.positions = { user: saved.user || null, all: saved.all || null, channels: saved.channels || {} }
      }
    } catch (error) {
      this.callback('onError', new Error(`ignored unreadable saved positions: ${error.message}`))
    }
  }

  savePositions() {
    const storage = this.storage()
    if (!storage) return
    try {
      storage.setItem(this.storageKey(), JSON.stringify(this.positions))
    } catch (error) {
      // storage full or disabled: recovery after a page reload is lost, live delivery is not
    }
  }

  // --- plumbing ---

  write(frame) {
    if (!this.socket || this.socket.readyState !== 1) return false
    this.socket.send(JSON.stringify(frame))
    return true
  }

  setStatus(status, details = {}) {
    if (status === this.status) return
    const previous = this.status
    this.status = status
    const info = { status, previous, ...details }
    this.callback('onStatusChange', status, info)
    this.emit('status', status, info)
  }

  emit(type, data, message) {
    const handlers = this.handlers.get(type)
    if (!handlers) return
    for (const handler of [...handlers]) this.guard(handler, data, message)
  }

  callback(name, ...args) {
    const fn = this.options[name]
    if (typeof fn === 'function') this.guard(fn, ...args)
  }

  /** A throwing user handler must not break the client or the other handlers: its error goes to onError. */
  guard(fn, ...args) {
    try {
      fn(...args)
    } catch (error) {
      const onError = this.options.onError
      if (typeof onError === 'function' && fn !== onError) this.guard(onError, error)
      else console.error('herald-websocket: handler failed', error)
    }
  }

  clearTimers() {
    clearInterval(this.timers.heartbeat)
    for (const name of Object.keys(this.timers)) {
      clearTimeout(this.timers[name])
      this.timers[name] = null
    }
    this.pendingResubscribe = null
    this.pendingRecovery = null
  }
}

let shared = null

/**
 * The page's shared client (as in the original `utils/websocket.js`): repeated calls return the same
 * instance. A call with the same user and a new token keeps the instance and uses the new token from
 * the next connection on; other options of later calls are ignored. A different user id disconnects
 * the old instance and creates a new one.
 */
export function getWebSocket(userId, token, options = {}) {
  if (shared && String(shared.userId) !== String(userId)) closeWebSocket()
  if (!shared) shared = new WebSocketClient(userId, token, options)
  else if (token) shared.token = token
  return shared
}

/** Disconnects and forgets the shared client. */
export function closeWebSocket() {
  if (shared) shared.disconnect()
  shared = null
}

export default { getWebSocket, closeWebSocket, WebSocketClient, backoffDelay, CloseCode, Status }
