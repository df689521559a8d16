// laravel-echo 2 (ESM, as a Vite-built Laravel front end imports it) over pusher-js against a real Herald jar.
import assert from 'node:assert/strict'
import { after, before, describe, test as nodeTest } from 'node:test'
import Echo from 'laravel-echo'
import { waitFor } from '../../js/test/support/herald.mjs'
import { APP, PusherJs, clientOptions, serverSdk, startPusherHerald, state } from './support/pusher.mjs'

const test = (name, fn) => nodeTest(name, { timeout: 40_000 }, fn)

describe('laravel-echo', () => {
  let herald
  let sdk
  const echos = []

  /** Echo as resources/js/echo.js configures it for a self-hosted server, as user `user`. */
  async function echoFor(user) {
    const echo = new Echo({
      broadcaster: 'pusher',
      key: APP.key,
      ...clientOptions(herald, sdk, { user }),
      Pusher: PusherJs,
    })
    echos.push(echo)
    await state(echo.connector.pusher, 'connected')
    return echo
  }

  before(async () => {
    herald = await startPusherHerald()
    sdk = serverSdk(herald)
  })
  after(async () => {
    for (const e of echos) e.disconnect()
    await herald.stop()
  })

  test('listen() on a public and a private channel gets Laravel-named events', async () => {
    const echo = await echoFor({ id: '1' })
    const got = []
    echo.channel('orders').listen('OrderShipped', (e) => got.push(['public', e]))
    echo.private('orders.1').listen('.custom.name', (e) => got.push(['private', e]))
    await waitFor(() => echo.connector.pusher.channel('orders')?.subscribed
      && echo.connector.pusher.channel('private-orders.1')?.subscribed, { message: 'subscribed' })
    await sdk.trigger('orders', 'App\\Events\\OrderShipped', { order: { id: 5 } })
    await sdk.trigger('private-orders.1', 'custom.name', { ok: true })
    await waitFor(() => got.length === 2, { message: 'two events' })
    assert.deepEqual(got, [['public', { order: { id: 5 } }], ['private', { ok: true }]])
  })

  test('join(): here, joining and leaving, with two tabs of one user counted once', async () => {
    const alice = await echoFor({ id: 'alice', user_info: { name: 'Alice' } })
    const events = []
    let here = null
    alice.join('chat.1')
      .here((users) => { here = users })
      .joining((u) => events.push(['joining', u.name]))
      .leaving((u) => events.push(['leaving', u.name]))
    await waitFor(() => here, { message: 'here' })
    assert.deepEqual(here, [{ name: 'Alice' }])
    const bobTab1 = await echoFor({ id: 'bob', user_info: { name: 'Bob' } })
    let bobHere = null
    bobTab1.join('chat.1').here((users) => { bobHere = users })
    await waitFor(() => bobHere, { message: 'bob here' })
    assert.equal(bobHere.length, 2)
    await waitFor(() => events.length === 1, { message: 'joining' })
    const bobTab2 = await echoFor({ id: 'bob', user_info: { name: 'Bob' } })
    let tab2Here = null
    bobTab2.join('chat.1').here((users) => { tab2Here = users })
    await waitFor(() => tab2Here, { message: 'second tab here' })
    assert.equal(tab2Here.length, 2)
    bobTab1.leave('chat.1')
    bobTab2.disconnect()
    await waitFor(() => events.length === 2, { message: 'leaving' })
    assert.deepEqual(events, [['joining', 'Bob'], ['leaving', 'Bob']])
  })

  test('whisper() reaches the others on the channel and not the sender', async () => {
    const a = await echoFor({ id: 'a', user_info: {} })
    const b = await echoFor({ id: 'b', user_info: {} })
    const atA = []
    const atB = []
    const chA = a.join('doc.9').listenForWhisper('typing', (e) => atA.push(e))
    b.join('doc.9').listenForWhisper('typing', (e) => atB.push(e))
    await waitFor(() => a.connector.pusher.channel('presence-doc.9')?.subscribed
      && b.connector.pusher.channel('presence-doc.9')?.subscribed, { message: 'both joined' })
    chA.whisper('typing', { name: 'a' })
    await waitFor(() => atB.length === 1, { message: 'whisper at b' })
    assert.deepEqual(atB, [{ name: 'a' }])
    assert.deepEqual(atA, [])
  })

  test('toOthers(): the X-Socket-ID of a request leaves the sender out', async () => {
    const a = await echoFor({ id: 'x' })
    const b = await echoFor({ id: 'y' })
    const atA = []
    const atB = []
    a.channel('feed').listen('.posted', (e) => atA.push(e))
    b.channel('feed').listen('.posted', (e) => atB.push(e))
    await waitFor(() => a.connector.pusher.channel('feed')?.subscribed && b.connector.pusher.channel('feed')?.subscribed,
      { message: 'subscribed' })
    await sdk.trigger('feed', 'posted', { n: 1 }, { socket_id: a.socketId() })
    await sdk.trigger('feed', 'posted', { n: 2 })
    await waitFor(() => atB.length === 2 && atA.length === 1, { message: 'deliveries' })
    assert.deepEqual(atA, [{ n: 2 }])
  })
})
