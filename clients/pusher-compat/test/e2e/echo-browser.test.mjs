// laravel-echo 2 and pusher-js 8 (their browser builds, as a Laravel page loads them) in Debian's
// Chromium against a real Herald jar. The page's channel auth calls back into the test, which signs
// with the official `pusher` SDK as Laravel's /broadcasting/auth would.
import assert from 'node:assert/strict'
import { after, before, test as nodeTest } from 'node:test'
import { createRequire } from 'node:module'
import path from 'node:path'
import { launchBrowser } from '../support/browser.mjs'
import { waitFor } from '../../../js/test/support/herald.mjs'
import { APP, serverSdk, startPusherHerald } from '../support/pusher.mjs'

const require = createRequire(import.meta.url)
const PUSHER_JS = require.resolve('pusher-js/dist/web/pusher.js')
const ECHO_JS = path.join(path.dirname(new URL(import.meta.url).pathname), '../../node_modules/laravel-echo/dist/echo.iife.js')
const test = (name, fn) => nodeTest(name, { timeout: 60_000 }, fn)

let herald
let sdk
let browser
let context

before(async () => {
  herald = await startPusherHerald()
  sdk = serverSdk(herald)
  browser = await launchBrowser()
  context = await browser.newContext()
})
after(async () => {
  await browser?.close()
  await herald?.stop()
})

/** A tab of `user` with Echo connected to Herald; `window.log` collects what the page saw. */
async function tab(user) {
  const page = await context.newPage()
  const errors = []
  page.on('pageerror', (e) => errors.push(e))
  await page.exposeFunction('heraldAuthorize', (socketId, channel) => {
    const data = channel.startsWith('presence-') ? { user_id: user.id, user_info: user.info } : undefined
    return sdk.authorizeChannel(socketId, channel, data)
  })
  await page.setContent('<!doctype html><title>echo</title>')
  await page.addScriptTag({ path: PUSHER_JS })
  await page.addScriptTag({ path: ECHO_JS })
  await page.evaluate(({ key, port }) => {
    window.log = []
    window.echo = new Echo.default({
      broadcaster: 'pusher',
      key,
      cluster: 'mt1',
      wsHost: '127.0.0.1',
      wsPort: port,
      forceTLS: false,
      enabledTransports: ['ws'],
      disableStats: true,
      Pusher: window.Pusher,
      authorizer: (channel) => ({
        authorize: (socketId, callback) => window.heraldAuthorize(socketId, channel.name)
          .then((auth) => callback(null, auth), (e) => callback(e, null)),
      }),
    })
  }, { key: APP.key, port: herald.port })
  await waitFor(() => page.evaluate(() => window.echo.connector.pusher.connection.state === 'connected'),
    { timeout: 15_000, message: 'connected' })
  page.errors = errors
  return page
}

const logOf = (page) => page.evaluate(() => window.log)

test('listen on public and private channels, here/joining/leaving across two tabs of one user, whisper', async () => {
  const ann1 = await tab({ id: 'ann', info: { name: 'Ann' } })
  await ann1.evaluate(() => {
    window.echo.channel('news').listen('.headline', (e) => window.log.push(['news', e.title]))
    window.echo.private('inbox.ann').listen('Mail', (e) => window.log.push(['mail', e.subject]))
    window.echo.join('room.1')
      .here((users) => window.log.push(['here', users.map((u) => u.name).sort().join(',')]))
      .joining((u) => window.log.push(['joining', u.name]))
      .leaving((u) => window.log.push(['leaving', u.name]))
      .listenForWhisper('typing', (e) => window.log.push(['whisper', e.who]))
  })
  await waitFor(async () => (await logOf(ann1)).some(([k]) => k === 'here'), { timeout: 15_000, message: 'here' })
  await waitFor(() => ann1.evaluate(() => ['news', 'private-inbox.ann']
    .every((c) => window.echo.connector.pusher.channel(c)?.subscribed)), { message: 'subscribed' })
  await sdk.trigger('news', 'headline', { title: 'Herald speaks Pusher' })
  await sdk.trigger('private-inbox.ann', 'App\\Events\\Mail', { subject: 'Hi' })

  const ann2 = await tab({ id: 'ann', info: { name: 'Ann' } })
  await ann2.evaluate(() => {
    window.echo.join('room.1').here((users) => window.log.push(['here', users.map((u) => u.name).sort().join(',')]))
  })
  await waitFor(async () => (await logOf(ann2)).length === 1, { message: 'second tab here' })
  assert.deepEqual(await logOf(ann2), [['here', 'Ann']])

  const ben = await tab({ id: 'ben', info: { name: 'Ben' } })
  await ben.evaluate(() => {
    window.echo.join('room.1').here((users) => window.log.push(['here', users.map((u) => u.name).sort().join(',')]))
  })
  await waitFor(async () => (await logOf(ben)).length === 1, { message: 'ben here' })
  assert.deepEqual(await logOf(ben), [['here', 'Ann,Ben']])
  await ben.evaluate(() => window.echo.join('room.1').whisper('typing', { who: 'ben' }))
  await waitFor(async () => (await logOf(ann1)).some(([k]) => k === 'whisper'), { message: 'whisper' })

  await ann2.close() // one of Ann's tabs goes: nobody is told
  await ben.close()
  await waitFor(async () => (await logOf(ann1)).some(([k]) => k === 'leaving'), { timeout: 15_000, message: 'leaving' })
  assert.deepEqual(await logOf(ann1), [
    ['here', 'Ann'], ['news', 'Herald speaks Pusher'], ['mail', 'Hi'], ['joining', 'Ben'], ['whisper', 'ben'], ['leaving', 'Ben'],
  ])
  assert.deepEqual(ann1.errors.map(String), [])
  await ann1.close()
})
