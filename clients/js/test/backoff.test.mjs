// Pure parts of the client: backoff schedule, URL building, the shared instance. No server needed.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { backoffDelay, getWebSocket, closeWebSocket, WebSocketClient } from '../websocket.js'

test('backoff doubles from the base delay and is capped at the max delay', () => {
  const half = () => 0.5
  const schedule = [0, 1, 2, 3, 4, 5, 6, 10, 100].map((attempt) => backoffDelay(attempt, { random: half }))
  assert.deepEqual(schedule, [500, 1000, 2000, 4000, 8000, 15000, 15000, 15000, 15000])
})

test('backoff uses full jitter: anywhere from 0 up to (not including) the ceiling', () => {
  assert.equal(backoffDelay(3, { random: () => 0 }), 0)
  assert.equal(backoffDelay(3, { random: () => 0.999999 }), 7999)
  assert.equal(backoffDelay(3, { baseDelay: 100, maxDelay: 500, random: () => 0.999999 }), 499)
  for (let i = 0; i < 1000; i++) {
    const delay = backoffDelay(2)
    assert.ok(delay >= 0 && delay < 4000, `delay ${delay} out of [0, 4000)`)
  }
})

test('url carries user_id and token URL-encoded, and keeps an existing query', () => {
  const client = new WebSocketClient('a b&c', 'x.y+z/=', { url: 'wss://push.example.com/ws?region=eu' })
  const url = new URL(client.buildUrl())
  assert.equal(url.protocol, 'wss:')
  assert.equal(url.searchParams.get('region'), 'eu')
  assert.equal(url.searchParams.get('user_id'), 'a b&c')
  assert.equal(url.searchParams.get('token'), 'x.y+z/=')
  assert.match(client.buildUrl(), /user_id=a\+b%26c/)
})

test('url is required outside a browser', () => {
  const client = new WebSocketClient(1, 't', { WebSocket: class {} })
  assert.throws(() => client.connect(), /options\.url is required/)
})

test('getWebSocket returns the shared instance; a new token is kept, another user replaces it', () => {
  const first = getWebSocket(7, 'token-1', { url: 'ws://127.0.0.1:1/ws' })
  assert.equal(getWebSocket(7, 'token-2'), first)
  assert.equal(getWebSocket('7', 'token-2'), first, '"7" and 7 name the same user')
  assert.equal(first.token, 'token-2')
  const other = getWebSocket(8, 'token-3', { url: 'ws://127.0.0.1:1/ws' })
  assert.notEqual(other, first)
  closeWebSocket()
  assert.notEqual(getWebSocket(8, 'token-3', { url: 'ws://127.0.0.1:1/ws' }), other)
  closeWebSocket()
})

test('send validates its arguments', () => {
  const client = new WebSocketClient(1, 't', { url: 'ws://127.0.0.1:1/ws' })
  assert.throws(() => client.send(''), TypeError)
  assert.throws(() => client.send('subscribe', {}), /data\.channel/)
  assert.equal(client.send('chat', { to_user_id: 2, content: 'hi' }), false, 'queued, not sent')
})
