// The client against a real Herald server: routing, queueing, terminal close codes, heartbeat timeout.
import { test, before, after, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import WebSocket from 'ws'
import { WebSocketClient } from '../websocket.js'
import { startHerald, mintToken, nextEvent, waitFor, freePort } from './support/herald.mjs'
import { startProxy } from './support/proxy.mjs'

let herald
const clients = []

before(async () => { herald = await startHerald() })
after(async () => { await herald?.stop() })
afterEach(() => { for (const client of clients.splice(0)) client.disconnect() })

/** A client for `userId` with a recorded history of statuses and closes. */
function client(userId, options = {}) {
  const history = { statuses: [], closes: [], sockets: 0 }
  const CountingWebSocket = class extends WebSocket {
    constructor(...args) { super(...args); history.sockets += 1 }
  }
  const c = new WebSocketClient(userId, options.token ?? mintToken(userId), {
    url: herald.wsUrl,
    WebSocket: CountingWebSocket,
    reconnectBaseDelay: 20,
    reconnectMaxDelay: 100,
    onStatusChange: (status) => history.statuses.push(status),
    onClose: (event) => history.closes.push(event.code),
    ...options,
  })
  c.history = history
  clients.push(c)
  return c
}

async function connected(c) {
  if (c.status !== 'open') await nextEvent(c, 'status', { where: (s) => s === 'open', timeout: 10_000 })
  return c
}

test('connects, reports connecting then open, and exposes the connected frame', async () => {
  const alice = client(101)
  assert.equal(alice.status, 'closed')
  const hello = nextEvent(alice, 'connected')
  alice.connect()
  assert.equal(alice.status, 'connecting')
  const [data] = await hello
  assert.equal(data.user_id, 101)
  assert.equal(typeof data.connection_id, 'string')
  await connected(alice)
  assert.deepEqual(alice.history.statuses, ['connecting', 'open'])
})

test('routes each frame by type to on(type) handlers and to onMessage', async () => {
  const seen = []
  const alice = await connected(client(101, { onMessage: (message) => seen.push(message.type) }).connect())
  const updates = []
  const handler = (data, message) => updates.push({ data, message })
  alice.on('order_update', handler)
  const other = nextEvent(alice, 'other_type')

  await herald.admin('send-to-user', { user_id: 101, type: 'order_update', data: { id: 1 } })
  await herald.admin('send-to-user', { user_id: 101, type: 'other_type', data: { id: 2 } })
  const [otherData] = await other
  assert.deepEqual(otherData, { id: 2 })
  assert.deepEqual(updates.map((u) => u.data), [{ id: 1 }])
  assert.equal(updates[0].message.type, 'order_update')
  assert.ok(seen.includes('connected') && seen.includes('order_update') && seen.includes('other_type'))

  alice.off('order_update', handler)
  const again = nextEvent(alice, 'order_update')
  await herald.admin('send-to-user', { user_id: 101, type: 'order_update', data: { id: 3 } })
  await again
  assert.equal(updates.length, 1, 'a removed handler is not called')
})

test('channel messages carry the channel in the second handler argument', async () => {
  const alice = await connected(client(101).connect())
  const subscribed = nextEvent(alice, 'subscribed')
  assert.equal(alice.send('subscribe', { channel: 'orders' }), true)
  assert.deepEqual((await subscribed)[0], { channel: 'orders' })
  const update = nextEvent(alice, 'data_update')
  await herald.admin('send-to-channel', { channel: 'orders', type: 'data_update', data: { order_id: 123, status: 'paid' } })
  const [data, message] = await update
  assert.deepEqual(data, { order_id: 123, status: 'paid' })
  assert.equal(message.channel, 'orders')
})

test('chat between two users and notifications from the admin API', async () => {
  const alice = await connected(client(101).connect())
  const bob = await connected(client('bob').connect())
  const chat = nextEvent(bob, 'chat')
  alice.send('chat', { to_user_id: 'bob', content: 'hello bob' })
  const [data] = await chat
  assert.equal(data.from_user_id, 101)
  assert.equal(data.content, 'hello bob')

  const notifications = [nextEvent(alice, 'notification'), nextEvent(bob, 'notification')]
  await herald.admin('send-notification', { title: 'Maintenance', message: 'tonight', type: 'warning' })
  for (const [notification] of await Promise.all(notifications)) {
    assert.equal(notification.title, 'Maintenance')
    assert.equal(notification.type, 'warning')
  }
})

test('send while not open queues up to maxQueueSize frames, drops the oldest, and flushes on open', async () => {
  const bob = await connected(client('bob').connect())
  const received = []
  bob.on('chat', (data) => received.push(data.content))
  const alice = client(101, { maxQueueSize: 2 })
  for (const content of ['one', 'two', 'three']) assert.equal(alice.send('chat', { to_user_id: 'bob', content }), false)
  assert.equal(alice.send('heartbeat', { timestamp: 1 }), false, 'heartbeats are not queued')
  alice.connect()
  await waitFor(() => received.length === 2, { message: 'two queued chats' })
  assert.deepEqual(received, ['two', 'three'])
})

test('a rejected token closes with 4001 and the client never retries', async () => {
  const mallory = client(101, { token: mintToken(101, { secret: 'not-the-server-secret-0123456789abcdef' }) })
  const closed = nextEvent(mallory, 'status', { where: (s) => s === 'closed' })
  mallory.connect()
  const [, info] = await closed
  assert.equal(info.code, 4001)
  assert.equal(info.terminal, true)
  assert.deepEqual(mallory.history.statuses, ['connecting', 'closed'])
  assert.equal(mallory.history.sockets, 1)
})

test('a user disconnected by an administrator (4002) is not reconnected', async () => {
  const alice = await connected(client(101).connect())
  const closed = nextEvent(alice, 'status', { where: (s) => s === 'closed' })
  await herald.admin('disconnect-user', { user_id: 101 })
  const [, info] = await closed
  assert.equal(info.code, 4002)
  assert.equal(info.terminal, true)
  assert.deepEqual(alice.history.closes, [4002])
  // A reconnect would have been scheduled synchronously with the close: nothing is pending.
  assert.equal(alice.timers.reconnect, null)
  assert.equal(alice.history.sockets, 1)
  // The server forgets the user once its side of the socket has closed, just after the client saw the close.
  await waitFor(async () => !(await herald.admin('online-users')).user_ids.includes(101),
    { timeout: 10_000, message: '101 to go offline' })
})

test('gives up after maxReconnectAttempts failed attempts', async () => {
  const nobody = await freePort() // nothing listens here
  const alice = client(101, { url: `ws://127.0.0.1:${nobody}/ws`, maxReconnectAttempts: 3, reconnectBaseDelay: 5 })
  const closed = nextEvent(alice, 'status', { where: (s) => s === 'closed' })
  alice.connect()
  const [, info] = await closed
  assert.equal(info.gaveUp, true)
  assert.equal(alice.history.sockets, 4, 'the first attempt and 3 reconnects')
  assert.deepEqual(alice.history.statuses, ['connecting', 'reconnecting', 'closed'])
})

test('maxReconnectAttempts 0 never reconnects', async () => {
  const nobody = await freePort()
  const alice = client(101, { url: `ws://127.0.0.1:${nobody}/ws`, maxReconnectAttempts: 0 })
  const closed = nextEvent(alice, 'status', { where: (s) => s === 'closed' })
  alice.connect()
  const [, info] = await closed
  assert.equal(info.gaveUp, false)
  assert.equal(alice.history.sockets, 1)
})

test('heartbeats are answered; a link that goes silent is detected and replaced', async () => {
  const proxy = await startProxy(herald.port)
  try {
    const alice = client(101, { url: `ws://127.0.0.1:${proxy.port}/ws`, heartbeatInterval: 50, pongTimeout: 300, random: () => 0 })
    await connected(alice.connect())
    await nextEvent(alice, 'heartbeat_ack')
    alice.send('subscribe', { channel: 'orders' })
    await nextEvent(alice, 'subscribed')
    alice.send('subscribe', { channel: 'private-payroll' }) // the token has no channels claim
    assert.equal((await nextEvent(alice, 'error'))[0].code, 'forbidden')

    const lost = nextEvent(alice, 'status', { where: (s) => s === 'reconnecting' })
    proxy.blackhole()
    const [, info] = await lost
    assert.equal(info.code, 4003, 'reported as a heartbeat timeout')
    const [resubscribed] = await nextEvent(alice, 'resubscribed')
    // Refused channels are reported; when the server names the channel in its error they are also
    // dropped from the set at once, otherwise they show up as unconfirmed after pongTimeout.
    assert.deepEqual(resubscribed.channels, ['orders'])
    assert.ok(resubscribed.failed.every((c) => c === 'private-payroll'), JSON.stringify(resubscribed))
    assert.equal(alice.status, 'open')
    assert.equal(proxy.accepted, 2)
  } finally {
    await proxy.close()
  }
})

test('disconnect() called from onClose stops the reconnect that was about to happen', async () => {
  const nobody = await freePort()
  let alice
  const closes = []
  alice = client(101, {
    url: `ws://127.0.0.1:${nobody}/ws`,
    onClose: (event) => { closes.push(event.code); alice.disconnect() },
  })
  const closed = nextEvent(alice, 'status', { where: (s) => s === 'closed' })
  alice.connect()
  await closed
  assert.deepEqual(closes, [1006], 'onClose once, for the failed socket only')
  assert.equal(alice.timers.reconnect, null)
  assert.equal(alice.history.sockets, 1)
  assert.deepEqual(alice.history.statuses, ['connecting', 'reconnecting', 'closed'])
})

test('a handler that throws does not stop the others; its error goes to onError', async () => {
  const errors = []
  const alice = await connected(client(101, { onError: (error) => errors.push(error) }).connect())
  alice.on('ping_me', () => { throw new Error('handler bug') })
  const second = nextEvent(alice, 'ping_me')
  await herald.admin('send-to-user', { user_id: 101, type: 'ping_me', data: {} })
  await second
  assert.deepEqual(errors.map((e) => e.message), ['handler bug'])
})
