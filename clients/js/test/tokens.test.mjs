// getToken() and getSubscriptionToken(channel) against a real Herald: refresh before expiry without
// reconnecting, a fresh token on reconnect, a subscription token on every (re)subscribe, and 1013.
import { test, before, after, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import WebSocket from 'ws'
import { WebSocketClient } from '../websocket.js'
import { startHerald, mintToken, nextEvent, waitFor, admin } from './support/herald.mjs'

let herald
const clients = []

before(async () => { herald = await startHerald({ env: { HERALD_AUTH_EXPIRY_WARNING: '3s' } }) })
after(async () => { await herald?.stop() })
afterEach(() => { for (const client of clients.splice(0)) client.disconnect() })

function client(userId, token, options = {}) {
  const c = new WebSocketClient(userId, token, {
    url: options.url ?? herald.wsUrl, WebSocket, reconnectBaseDelay: 20, reconnectMaxDelay: 100, ...options,
  })
  clients.push(c)
  return c
}

const opened = (c) => nextEvent(c, 'status', { where: (s) => s === 'open', timeout: 10_000 })

test('getToken answers token_expiring with a refresh and the connection stays open past the old expiry', async () => {
  let calls = 0
  // 10 s of validity, warned 3 s before the end: room for a slow first connect on a busy machine.
  const c = client(701, mintToken(701, { ttlSeconds: 10 }), {
    getToken: () => { calls += 1; return mintToken(701, { ttlSeconds: 3600 }) },
  })
  // Listening before connecting: the warning may come in the same network read as `connected`.
  const expiring = nextEvent(c, 'token_expiring', { timeout: 20_000 })
  const fresh = nextEvent(c, 'refreshed', { timeout: 20_000 })
  c.connect()
  const [warning] = await expiring
  const [refreshed] = await fresh
  assert.equal(calls, 1)
  assert.ok(refreshed.expires_at > Date.now() / 1000 + 3000)
  await waitFor(() => Date.now() / 1000 > warning.expires_at + 1, { timeout: 15_000, message: 'the old expiry to pass' })
  const [pong] = await Promise.all([nextEvent(c, 'pong'), Promise.resolve(c.send('ping', {}))])
  assert.ok(pong)
  assert.equal(c.status, 'open')
})

test('without getToken an expiring connection is closed with 4001 and stays closed', async () => {
  const c = client(702, mintToken(702, { ttlSeconds: 4 }))
  const open = opened(c)
  c.connect()
  await open
  const [, info] = await nextEvent(c, 'status', { where: (s) => s === 'closed', timeout: 15_000 })
  assert.equal(info.code, 4001)
  assert.equal(info.terminal, true)
})

test('every reconnect asks getToken for a fresh token', async () => {
  const tokens = []
  const c = client(703, mintToken(703), {
    getToken: () => { const t = mintToken(703, { claims: { n: tokens.length } }); tokens.push(t); return t },
  })
  let open = opened(c)
  c.connect()
  await open
  assert.equal(tokens.length, 0) // the first connection uses the token it was given
  open = nextEvent(c, 'status', { where: (s) => s === 'open', timeout: 10_000 })
  c.socket.terminate() // the link drops: the client reconnects
  await open
  assert.equal(tokens.length, 1)
  assert.equal(c.token, tokens[0])
})

test('getSubscriptionToken supplies the token of every subscribe and re-subscribe', async () => {
  const asked = []
  const c = client(704, mintToken(704), {
    getSubscriptionToken: async (channel) => {
      asked.push(channel)
      return channel.startsWith('private-') ? mintToken(704, { claims: { channel } }) : null
    },
  })
  const open = opened(c)
  c.connect()
  await open
  const subscribed = nextEvent(c, 'subscribed', { where: (d) => d.channel === 'private-orders.704' })
  c.subscribe('private-orders.704')
  await subscribed
  c.subscribe('orders')
  await nextEvent(c, 'subscribed', { where: (d) => d.channel === 'orders' })
  const resubscribed = nextEvent(c, 'resubscribed', { timeout: 10_000 })
  c.socket.terminate()
  const [result] = await resubscribed
  assert.deepEqual(result.failed, [])
  assert.deepEqual([...result.channels].sort(), ['orders', 'private-orders.704'])
  assert.deepEqual(asked.sort(), ['orders', 'orders', 'private-orders.704', 'private-orders.704'])
  const delivered = nextEvent(c, 'shipped')
  await admin(herald.httpUrl, 'send-to-channel', { channel: 'private-orders.704', type: 'shipped', data: { id: 1 } })
  const [, message] = await delivered
  assert.equal(message.channel, 'private-orders.704')
})

test('a close with 1013 (the application behind the auth proxy is down) is retried', async () => {
  // An application that answers 500 for the first two calls, then accepts.
  let calls = 0
  const app = http.createServer((req, res) => {
    calls += 1
    res.writeHead(calls <= 2 ? 500 : 200, { 'Content-Type': 'application/json' })
    res.end(calls <= 2 ? '{}' : '{"user_id":705}')
  })
  await new Promise((resolve) => app.listen(0, '127.0.0.1', resolve))
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-js-proxy-')) // a second server needs its own data_dir
  const proxied = await startHerald({ env: {
    HERALD_AUTH_PROXY_CONNECT_URL: `http://127.0.0.1:${app.address().port}/connect`,
    HERALD_DATA_DIR: dataDir,
  } })
  try {
    const closes = []
    const c = client(705, 'opaque-session-token', { url: proxied.wsUrl, onClose: (e) => closes.push(e.code) })
    const open = opened(c)
    c.connect()
    await open
    assert.deepEqual(closes, [1013, 1013])
    assert.equal(calls, 3)
  } finally {
    for (const c of clients.splice(0)) c.disconnect()
    await proxied.stop()
    app.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
})
