// Nothing lost across a cluster (SPEC §7): three nodes on one Redis; the client's node is killed
// with SIGKILL while another node publishes; the client reconnects to a survivor and gets every
// message exactly once, in order.
import { test } from 'node:test'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import assert from 'node:assert/strict'
import WebSocket from 'ws'
import { WebSocketClient } from '../websocket.js'
import { startHerald, mintToken, nextEvent, waitFor } from './support/herald.mjs'
import { startProxy } from './support/proxy.mjs'
import { startRedis } from './support/redis.mjs'

const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i)

test('kill -9 of the client\'s node: it recovers everything on a surviving node', async () => {
  const redis = await startRedis()
  const nodes = []
  let proxy
  let client
  let running = true
  let publisher = Promise.resolve()
  try {
    for (const id of ['a', 'b', 'c']) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `herald-${id}-`))
      nodes.push(await startHerald({
        env: { HERALD_REDIS_URL: redis.url, HERALD_NODE_ID: id, HERALD_REDIS_PRESENCE_TTL: '3s', HERALD_DATA_DIR: dir, HERALD_LOG_DIR: dir },
      }))
    }
    const [a, b, c] = nodes
    proxy = await startProxy(a.port)
    const seen = []
    client = new WebSocketClient(301, mintToken(301), {
      url: `ws://127.0.0.1:${proxy.port}/ws`, WebSocket, maxReconnectAttempts: Infinity, reconnectBaseDelay: 20, reconnectMaxDelay: 200,
    })
    client.on('note', (data, message) => seen.push(`${message.channel || message.stream}:${data.n}`))
    client.connect()
    await nextEvent(client, 'connected', { timeout: 10_000 })
    const subscribed = nextEvent(client, 'subscribed', { timeout: 10_000 })
    client.subscribe('orders')
    await subscribed

    let n = 0
    publisher = (async () => {
      while (running) {
        n += 1
        await Promise.all([
          b.admin('send-to-user', { user_id: 301, type: 'note', data: { n } }),
          b.admin('send-to-channel', { channel: 'orders', type: 'note', data: { n } }),
          b.admin('broadcast', { type: 'note', data: { n } }),
        ])
      }
    })()
    await waitFor(() => n >= 20, { message: 'messages before the kill', timeout: 20_000 })

    const recovery = nextEvent(client, 'recovery', { timeout: 60_000 })
    await a.kill()
    proxy.retarget(c.port)
    const [outcome] = await recovery
    assert.equal(outcome.recovered, true, JSON.stringify(outcome))
    const after = n
    await waitFor(() => n >= after + 20, { message: 'messages after the reconnect', timeout: 20_000 })
    running = false
    await publisher

    const only = (stream) => seen.filter((s) => s.startsWith(`${stream}:`)).map((s) => Number(s.split(':')[1]))
    await waitFor(() => ['user', 'all', 'orders'].every((s) => only(s).length >= n), { message: 'every message', timeout: 20_000 })
    for (const stream of ['user', 'all', 'orders']) assert.deepEqual(only(stream), range(1, n), stream)
  } finally {
    running = false
    await publisher.catch(() => {})
    if (client) client.disconnect()
    if (proxy) await proxy.close()
    for (const node of nodes) await node.stop()
    await redis.stop()
  }
})
