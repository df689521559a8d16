// Server restart: the client rides out the outage and rejoins its channels.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import WebSocket from 'ws'
import { WebSocketClient } from '../websocket.js'
import { startHerald, mintToken, nextEvent, waitFor } from './support/herald.mjs'

test('after a server restart on the same port the client reconnects and resubscribes', async () => {
  let herald = await startHerald()
  const statuses = []
  const closes = []
  const options = {
    url: herald.wsUrl,
    WebSocket,
    maxReconnectAttempts: Infinity,
    reconnectBaseDelay: 50,
    reconnectMaxDelay: 250,
    onStatusChange: (status) => statuses.push(status),
    onClose: (event) => closes.push(event.code),
  }
  const alice = new WebSocketClient(101, mintToken(101), options)
  try {
    alice.connect()
    await nextEvent(alice, 'connected')
    alice.send('subscribe', { channel: 'orders' })
    alice.send('subscribe', { channel: 'prices' })
    alice.send('unsubscribe', { channel: 'prices' })
    await nextEvent(alice, 'unsubscribed')

    const reconnecting = nextEvent(alice, 'status', { where: (s) => s === 'reconnecting' })
    await herald.stop()
    const [, info] = await reconnecting
    assert.equal(info.code, 1001, 'a stopping server says going away')

    const resubscribed = nextEvent(alice, 'resubscribed', { timeout: 90_000 })
    herald = await startHerald({ port: herald.port })
    const [{ channels, failed }] = await resubscribed
    assert.deepEqual(channels, ['orders'], 'unsubscribed channels are not rejoined')
    assert.deepEqual(failed, [])
    assert.equal(alice.status, 'open')
    assert.deepEqual(statuses.slice(0, 3), ['connecting', 'open', 'reconnecting'])
    assert.equal(statuses.at(-1), 'open')

    const update = nextEvent(alice, 'data_update')
    await herald.admin('send-to-channel', { channel: 'orders', type: 'data_update', data: { order_id: 7 } })
    const [data, message] = await update
    assert.deepEqual(data, { order_id: 7 })
    assert.equal(message.channel, 'orders')
  } finally {
    alice.disconnect()
    await herald.stop()
  }
})

// SPEC §2: a stopping server drains: every connection gets its queued messages, then 1001.
test('stopping the server closes every connection with 1001 (going away)', async () => {
  const herald = await startHerald()
  const codes = []
  const clients = []
  try {
    for (let i = 0; i < 5; i++) {
      const client = new WebSocketClient(500 + i, mintToken(500 + i), { url: herald.wsUrl, WebSocket, maxReconnectAttempts: 0, onClose: (event) => codes.push(event.code) })
      clients.push(client)
      client.connect()
      await nextEvent(client, 'connected')
    }
    await herald.stop()
    await waitFor(() => codes.length === 5, { message: 'five closes' })
    assert.deepEqual(codes, [1001, 1001, 1001, 1001, 1001])
  } finally {
    for (const client of clients) client.disconnect()
    await herald.stop()
  }
})
