// Nothing lost (SPEC §7): a client cut off by a TCP proxy gets, after it reconnects, every message
// published meanwhile on its user stream, the all-users stream and its channels: once, in order,
// and a `recovery` event that says whether anything could not be replayed.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import WebSocket from 'ws'
import { WebSocketClient } from '../websocket.js'
import { startHerald, mintToken, nextEvent, waitFor } from './support/herald.mjs'
import { startProxy } from './support/proxy.mjs'

/** A client through the proxy that records every `note` as `<stream>:<n>`. */
function recordingClient(userId, proxy, extra = {}) {
  const seen = []
  const client = new WebSocketClient(userId, mintToken(userId), {
    url: `ws://127.0.0.1:${proxy.port}/ws`,
    WebSocket,
    maxReconnectAttempts: Infinity,
    reconnectBaseDelay: 20,
    reconnectMaxDelay: 100,
    ...extra,
  })
  client.on('note', (data, message) => seen.push(`${message.channel || message.stream}:${data.n}`))
  return { client, seen }
}

async function publishAll(herald, userId, n) {
  await herald.admin('send-to-user', { user_id: userId, type: 'note', data: { n } })
  await herald.admin('broadcast', { type: 'note', data: { n } })
  await herald.admin('send-to-channel', { channel: 'orders', type: 'note', data: { n } })
}

function only(seen, stream) {
  return seen.filter((s) => s.startsWith(`${stream}:`)).map((s) => Number(s.split(':')[1]))
}

const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i)

async function connectAndSubscribe(client) {
  client.connect()
  await nextEvent(client, 'connected')
  const subscribed = nextEvent(client, 'subscribed')
  client.subscribe('orders')
  await subscribed
}

/** Cuts the client off, runs `during`, lets it back in and resolves with its `recovery` event. */
async function gap(client, proxy, during) {
  const reconnecting = nextEvent(client, 'status', { where: (s) => s === 'reconnecting', timeout: 10_000 })
  proxy.cut()
  await reconnecting
  await during()
  const recovery = nextEvent(client, 'recovery', { timeout: 30_000 })
  proxy.restore()
  const [outcome] = await recovery
  return outcome
}

test('a client cut off recovers every stream: each message once, in order, recovered: true', async () => {
  const herald = await startHerald()
  const proxy = await startProxy(herald.port)
  const { client, seen } = recordingClient(201, proxy)
  try {
    await connectAndSubscribe(client)
    await publishAll(herald, 201, 1)
    await waitFor(() => seen.length === 3, { message: 'the first three messages' })

    const outcome = await gap(client, proxy, async () => {
      for (let n = 2; n <= 6; n++) await publishAll(herald, 201, n)
    })
    assert.equal(outcome.recovered, true, JSON.stringify(outcome))
    assert.equal(outcome.streams.user.recovered, true)
    assert.equal(outcome.streams.all.recovered, true)
    assert.equal(outcome.channels.orders.recovered, true)
    assert.equal(outcome.streams.user.offset, 6)

    await publishAll(herald, 201, 7)
    await waitFor(() => seen.length === 21, { message: 'every message', timeout: 10_000 })
    for (const stream of ['user', 'all', 'orders']) assert.deepEqual(only(seen, stream), range(1, 7), stream)
  } finally {
    client.disconnect()
    await proxy.close()
    await herald.stop()
  }
})

test('past the history window the client is told recovered: false and gets what is still kept', async () => {
  const herald = await startHerald({ env: { HERALD_HISTORY_SIZE: '3' } })
  const proxy = await startProxy(herald.port)
  const { client, seen } = recordingClient(202, proxy)
  try {
    await connectAndSubscribe(client)
    await publishAll(herald, 202, 1)
    await waitFor(() => seen.length === 3, { message: 'the first three messages' })

    const outcome = await gap(client, proxy, async () => {
      for (let n = 2; n <= 7; n++) await publishAll(herald, 202, n)
    })
    assert.equal(outcome.recovered, false)
    assert.equal(outcome.streams.user.recovered, false)
    assert.equal(outcome.streams.all.recovered, false)
    assert.equal(outcome.channels.orders.recovered, false)
    for (const stream of ['user', 'all', 'orders']) assert.deepEqual(only(seen, stream), [1, 5, 6, 7], stream)
  } finally {
    client.disconnect()
    await proxy.close()
    await herald.stop()
  }
})

test('publishing without pause while the client recovers leaves no gap and no duplicate at the seam', async () => {
  const herald = await startHerald({ env: { HERALD_HISTORY_SIZE: '10000' } })
  const proxy = await startProxy(herald.port)
  const { client, seen } = recordingClient(203, proxy)
  let n = 0
  let running = true
  let publisher = Promise.resolve()
  try {
    await connectAndSubscribe(client)
    publisher = (async () => {
      while (running) {
        n += 1
        await Promise.all([
          herald.admin('send-to-user', { user_id: 203, type: 'note', data: { n } }),
          herald.admin('send-to-channel', { channel: 'orders', type: 'note', data: { n } }),
        ])
      }
    })()
    for (let round = 0; round < 3; round++) {
      const before = n
      const outcome = await gap(client, proxy, () => waitFor(() => n >= before + 20, { message: 'messages during the gap' }))
      assert.equal(outcome.recovered, true, JSON.stringify(outcome))
      const after = n
      await waitFor(() => n >= after + 20, { message: 'messages after the seam' })
    }
    running = false
    await publisher
    await waitFor(() => only(seen, 'user').length >= n && only(seen, 'orders').length >= n, { message: 'the last messages', timeout: 10_000 })
    assert.deepEqual(only(seen, 'user'), range(1, n), 'user stream: every message once, in order')
    assert.deepEqual(only(seen, 'orders'), range(1, n), 'channel: every message once, in order')
  } finally {
    running = false
    await publisher.catch(() => {})
    client.disconnect()
    await proxy.close()
    await herald.stop()
  }
})

test('positions kept in storage let a new client (a reloaded page) recover', async () => {
  const herald = await startHerald()
  const proxy = await startProxy(herald.port)
  const storage = new Map()
  const sessionStorage = { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => storage.set(k, v) }
  const first = recordingClient(204, proxy, { persistPositions: sessionStorage })
  let second
  try {
    await connectAndSubscribe(first.client)
    await publishAll(herald, 204, 1)
    await waitFor(() => first.seen.length === 3, { message: 'the first messages' })
    first.client.disconnect()
    for (let n = 2; n <= 3; n++) await publishAll(herald, 204, n)

    second = recordingClient(204, proxy, { persistPositions: sessionStorage })
    const recovery = nextEvent(second.client, 'recovery', { timeout: 30_000 })
    second.client.connect()
    second.client.subscribe('orders')
    const [outcome] = await recovery
    assert.equal(outcome.recovered, true, JSON.stringify(outcome))
    for (const stream of ['user', 'all', 'orders']) assert.deepEqual(only(second.seen, stream), [2, 3], stream)
  } finally {
    first.client.disconnect()
    if (second) second.client.disconnect()
    await proxy.close()
    await herald.stop()
  }
})
