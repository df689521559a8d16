// pusher-js 8 (Node build) and the official `pusher` server SDK against a real Herald jar.
import assert from 'node:assert/strict'
import { after, before, describe, test as nodeTest } from 'node:test'
import { admin, freePort, waitFor } from '../../js/test/support/herald.mjs'
import {
  APP, PusherJs, clientOptions, connectClient, next, recordAll, serverSdk, startPusherHerald, state, subscribed, webhookReceiver,
} from './support/pusher.mjs'

// Each test has its own deadline, so a hang fails that test and the suite still stops its server.
const test = (name, fn) => nodeTest(name, { timeout: 40_000 }, fn)

describe('pusher-js and the pusher server SDK', () => {
  let herald
  let sdk
  const clients = []
  const connect = async (options) => {
    const c = await connectClient(herald, sdk, options)
    clients.push(c)
    return c
  }

  before(async () => {
    herald = await startPusherHerald()
    sdk = serverSdk(herald)
  })
  after(async () => {
    for (const c of clients) c.disconnect()
    await herald.stop()
  })

  test('socket id has the shape the SDKs require', async () => {
    const c = await connect()
    assert.match(c.connection.socket_id, /^\d+\.\d+$/)
  })

  test('public channel: trigger reaches it; Herald admin pushes too', async () => {
    const c = await connect()
    const ch = await subscribed(c, 'orders')
    const got = next(ch, 'App\\Events\\OrderShipped')
    const res = await sdk.trigger('orders', 'App\\Events\\OrderShipped', { order: { id: 7 } })
    assert.equal(res.status, 200)
    assert.deepEqual(await res.json(), {})
    assert.deepEqual(await got, { order: { id: 7 } })
    const fromAdmin = next(ch, 'note')
    await admin(herald.httpUrl, 'send-to-channel', { channel: 'orders', type: 'note', data: { x: 1 } })
    assert.deepEqual(await fromAdmin, { x: 1 })
  })

  test('socket_id excludes the sender', async () => {
    const a = await connect()
    const b = await connect()
    const chA = await subscribed(a, 'excl')
    const chB = await subscribed(b, 'excl')
    const seenA = recordAll(chA)
    const got = next(chB, 'e')
    await sdk.trigger('excl', 'e', { n: 1 }, { socket_id: a.connection.socket_id })
    await got
    const marker = next(chA, 'marker')
    await sdk.trigger('excl', 'marker', {})
    await marker
    assert.deepEqual(seenA.map((e) => e.event), ['marker'])
  })

  test('private and encrypted channels: signed auth works, forged auth errors without closing', async () => {
    const c = await connect()
    const priv = await subscribed(c, 'private-invoices')
    const got = next(priv, 'paid')
    await sdk.trigger('private-invoices', 'paid', { amount: 3 })
    assert.deepEqual(await got, { amount: 3 })

    const enc = await subscribed(c, 'private-encrypted-secrets')
    const secret = next(enc, 'reveal')
    await sdk.trigger('private-encrypted-secrets', 'reveal', { code: 'abc' })
    assert.deepEqual(await secret, { code: 'abc' })

    const forged = new PusherJs(APP.key, {
      ...clientOptions(herald, sdk),
      channelAuthorization: { customHandler: (p, cb) => cb(null, { auth: `${APP.key}:${'0'.repeat(64)}` }) },
    })
    clients.push(forged)
    await state(forged, 'connected')
    const bad = forged.subscribe('private-invoices')
    const error = await next(bad, 'pusher:subscription_error')
    assert.equal(error.status, 401)
    assert.equal(forged.connection.state, 'connected')
  })

  test('presence: here/joining/leaving per distinct user, two tabs of one user count once', async () => {
    const alice1 = await connect({ user: { id: 'alice', user_info: { name: 'Alice' } } })
    const room1 = await subscribed(alice1, 'presence-room')
    assert.equal(room1.members.count, 1)
    const joined = next(room1, 'pusher:member_added')
    const bob = await connect({ user: { id: 'bob', user_info: { name: 'Bob' } } })
    const roomB = await subscribed(bob, 'presence-room')
    assert.equal((await joined).id, 'bob')
    assert.equal(roomB.members.count, 2)
    assert.equal(roomB.members.get('alice').info.name, 'Alice')

    const seenByBob = recordAll(roomB)
    const alice2 = await connect({ user: { id: 'alice', user_info: { name: 'Alice' } } })
    const room2 = await subscribed(alice2, 'presence-room')
    assert.equal(room2.members.count, 2)
    alice2.disconnect()
    const users = await sdk.get({ path: '/channels/presence-room/users' })
    assert.deepEqual((await users.json()).users.map((u) => u.id).sort(), ['alice', 'bob'])
    const left = next(roomB, 'pusher:member_removed')
    alice1.disconnect()
    assert.equal((await left).id, 'alice')
    assert.deepEqual(seenByBob.map((e) => e.event), ['pusher:member_removed'])
  })

  test('client events (whisper): reach others with user_id on presence, never echoed', async () => {
    const a = await connect({ user: { id: 'a' } })
    const b = await connect({ user: { id: 'b' } })
    const chA = await subscribed(a, 'presence-typing')
    const chB = await subscribed(b, 'presence-typing')
    // b's subscription_succeeded and a's member_added travel on different sockets: record only
    // after a has seen b join, so the member event is not mistaken for an echo
    await waitFor(() => chA.members.count === 2, { timeout: 10_000, message: 'a sees b in presence-typing' })
    const seenA = recordAll(chA)
    const got = new Promise((resolve) => chB.bind('client-typing', (data, meta) => resolve({ data, meta })))
    assert.equal(chA.trigger('client-typing', { typing: true }), true)
    const { data, meta } = await got
    assert.deepEqual(data, { typing: true })
    assert.equal(meta.user_id, 'a')
    const marker = next(chA, 'marker')
    await sdk.trigger('presence-typing', 'marker', {})
    await marker
    assert.deepEqual(seenA.map((e) => e.event), ['marker'])
  })

  test('cache channel: cache_miss first, then the last event for new subscribers', async () => {
    const a = await connect()
    const miss = new Promise((resolve) => a.bind('pusher:cache_miss', resolve))
    await subscribed(a, 'cache-prices')
    await miss
    await sdk.trigger('cache-prices', 'tick', { p: 42 })
    const b = await connect()
    const chB = b.subscribe('cache-prices')
    assert.deepEqual(await next(chB, 'tick'), { p: 42 })
    const info = await (await sdk.get({ path: '/channels/cache-prices', params: { info: 'subscription_count,cache' } })).json()
    assert.equal(info.occupied, true)
    assert.equal(info.subscription_count, 2)
    assert.equal(JSON.parse(info.cache.data).p, 42)
  })

  test('triggerBatch and channel queries', async () => {
    const c = await connect()
    const one = await subscribed(c, 'batch-1')
    const two = await subscribed(c, 'batch-2')
    const got = Promise.all([next(one, 'x'), next(two, 'y')])
    const res = await sdk.triggerBatch([
      { channel: 'batch-1', name: 'x', data: { i: 1 } },
      { channel: 'batch-2', name: 'y', data: { i: 2 } },
    ])
    assert.equal(res.status, 200)
    assert.deepEqual(await got, [{ i: 1 }, { i: 2 }])
    const channels = await (await sdk.get({ path: '/channels', params: { filter_by_prefix: 'batch-' } })).json()
    assert.deepEqual(Object.keys(channels.channels).sort(), ['batch-1', 'batch-2'])
    await assert.rejects(sdk.get({ path: '/channels', params: { info: 'user_count' } }), (e) => e.status === 400)
  })

  test('signin, sendToUser and terminateUserConnections', async () => {
    const c = await connect({ user: { id: 'u-7', user_info: { name: 'Seven' } } })
    c.signin()
    await waitFor(() => c.user.serverToUserChannel && c.user.serverToUserChannel.subscribed,
      { timeout: 10_000, message: 'signed in and #server-to-user-u-7 subscribed' })
    assert.equal(c.user.user_data.id, 'u-7')
    const got = next(c.user, 'welcome')
    await sdk.sendToUser('u-7', 'welcome', { hi: true })
    assert.deepEqual(await got, { hi: true })
    const closed = new Promise((resolve) => c.connection.bind('state_change', ({ current }) => {
      if (current === 'disconnected' || current === 'unavailable' || current === 'connecting') resolve(current)
    }))
    const res = await sdk.terminateUserConnections('u-7')
    assert.equal(res.status, 200)
    assert.ok(await closed)
  })

  test('requests signed with a wrong secret are refused with 401', async () => {
    const wrong = serverSdk(herald, { ...APP, secret: 'not-the-secret' })
    await assert.rejects(wrong.trigger('x', 'e', {}), (e) => e.status === 401)
  })
})

describe('webhooks, drain and restart', () => {
  test('webhooks are signed and the SDK accepts them', async () => {
    const receiver = await webhookReceiver()
    const herald = await startPusherHerald({
      env: {
        HERALD_PUSHER_APP_ID: '', HERALD_PUSHER_APP_KEY: '', HERALD_PUSHER_APP_SECRET: '',
        HERALD_PUSHER_APPS: JSON.stringify([{ ...APP, webhooks: [{ url: receiver.url }] }]),
        HERALD_PUSHER_WEBHOOK_DELAY: '200ms',
      },
    })
    const sdk = serverSdk(herald)
    try {
      const c = await connectClient(herald, sdk, { user: { id: 'w1' } })
      await subscribed(c, 'presence-hooks')
      c.disconnect()
      await waitFor(() => {
        const names = receiver.received.flatMap((r) => JSON.parse(r.rawBody).events.map((e) => e.name))
        return ['channel_occupied', 'member_added', 'member_removed', 'channel_vacated'].every((n) => names.includes(n))
      }, { timeout: 15_000, message: 'four webhooks' })
      for (const r of receiver.received) {
        const hook = sdk.webhook({ headers: r.headers, rawBody: r.rawBody })
        assert.equal(hook.isValid(), true, `webhook signature of ${r.rawBody}`)
        assert.equal(r.headers['x-pusher-key'], APP.key)
      }
    } finally {
      await herald.stop()
      await receiver.close()
    }
  })

  test('drain closes with 4200 and pusher-js reconnects to the restarted server', async () => {
    const port = await freePort()
    let herald = await startPusherHerald({ port })
    const sdk = serverSdk(herald)
    const c = await connectClient(herald, sdk)
    const ch = await subscribed(c, 'restart-ch')
    const codes = []
    c.connection.bind('error', (e) => codes.push(e))
    const lost = new Promise((resolve) => c.connection.bind('state_change', ({ current }) => {
      if (current !== 'connected') resolve(current)
    }))
    const resubscribed = new Promise((resolve) => ch.bind('pusher:subscription_succeeded', resolve))
    await herald.stop()
    assert.equal(await lost, 'connecting') // 4200: reconnect at once, not 'disconnected'
    herald = await startPusherHerald({ port })
    try {
      await state(c, 'connected', 30_000)
      await resubscribed
      const got = next(ch, 'back')
      await sdk.trigger('restart-ch', 'back', { ok: 1 })
      assert.deepEqual(await got, { ok: 1 })
    } finally {
      c.disconnect()
      await herald.stop()
    }
  })
})
