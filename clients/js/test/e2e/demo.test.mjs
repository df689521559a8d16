// The demo page in a real browser against a real Herald server.
import { test, before, after, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import { startHerald, mintToken, freePort } from '../support/herald.mjs'
import { launchBrowser } from './browser.mjs'
import { openDemo, waitForStatus, logEntry, subscribe, screenshot, closeAll, assertServesClient } from './pages.mjs'

let herald
let browser
const pages = []

before(async () => {
  herald = await startHerald()
  await assertServesClient(herald)
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
  await herald?.stop()
})
afterEach(async () => {
  for (const page of pages) assert.deepEqual(page.errors.map(String), [], 'no uncaught errors in the page')
  await closeAll(pages)
})

test('two demo pages chat with each other', async () => {
  const ann = await openDemo(browser, herald, 201)
  const ben = await openDemo(browser, herald, 'ben')
  pages.push(ann, ben)

  await ann.fill('#chat-to', 'ben')
  await ann.fill('#chat-content', 'Hi Ben, this is Ann')
  await ann.click('#chat-send')
  await logEntry(ben, 'chat', 'Hi Ben, this is Ann')
  await logEntry(ben, 'chat', '201 → you')

  await ben.fill('#chat-to', '201')
  await ben.fill('#chat-content', 'Hello Ann!')
  await ben.press('#chat-content', 'Enter')
  await logEntry(ann, 'chat', 'Hello Ann!')
  await logEntry(ann, 'chat', 'ben → you')
})

test('a notification pushed through the admin API shows up, as do channel messages and broadcasts', async () => {
  const cleo = await openDemo(browser, herald, 'cleo')
  const dan = await openDemo(browser, herald, 'dan')
  pages.push(cleo, dan)
  await subscribe(cleo, 'orders')

  await herald.admin('send-notification-to-users', { user_ids: ['cleo'], title: 'Order shipped', message: 'Your order #123 is on its way', type: 'success' })
  await logEntry(cleo, 'notification', 'Order shipped')
  await logEntry(cleo, 'notification', 'Your order #123 is on its way')

  await herald.admin('push-data-update-channel', { channel: 'orders', resource_type: 'order', action: 'create', data: { id: 124, customer: 'Zhang San', amount: 100 } })
  await logEntry(cleo, 'data_update', 'order create')

  await dan.fill('#broadcast-message', 'Lunch is ready')
  await dan.click('#broadcast-send')
  await logEntry(cleo, 'broadcast', 'Lunch is ready')

  await cleo.fill('#chat-to', 'dan')
  await cleo.fill('#chat-content', 'On my way!')
  await cleo.click('#chat-send')
  await logEntry(dan, 'chat', 'On my way!')
  await screenshot(cleo, 'demo.png')
})

test('server restart: the page shows reconnecting, then open, and the channel still receives', async () => {
  const eve = await openDemo(browser, herald, 'eve')
  pages.push(eve)
  await subscribe(eve, 'prices')

  await herald.stop()
  await waitForStatus(eve, 'reconnecting')
  assert.match(await eve.locator('#connection-detail').textContent(), /Connection lost/)

  herald = await startHerald({ port: herald.port })
  await waitForStatus(eve, 'open', 90_000)
  await logEntry(eve, 'status', 'Channels rejoined', 15_000)
  assert.equal(await eve.locator('#channels .chip[data-channel="prices"]').count(), 1)

  await herald.admin('send-to-channel', { channel: 'prices', type: 'tick', data: { symbol: 'HRLD', price: 42 } })
  await logEntry(eve, 'channel', 'tick on #prices')
})

test('in a page the client defaults to ws://<page host>/ws with an URL-encoded query', async () => {
  const page = await openDemo(browser, herald, 'unused', { connect: false })
  pages.push(page)
  const token = mintToken('ivy')
  const result = await page.evaluate(async (token) => {
    const { getWebSocket, closeWebSocket } = await import('/websocket.js')
    closeWebSocket()
    const ws = getWebSocket('ivy', token)
    const url = ws.buildUrl()
    const status = await new Promise((resolve) => {
      ws.on('status', (s) => { if (s === 'open' || s === 'closed') resolve(s) })
      ws.connect()
    })
    ws.disconnect()
    return { url, status }
  }, token)
  assert.equal(result.url, `ws://127.0.0.1:${herald.port}/ws?user_id=ivy&token=${encodeURIComponent(token)}`)
  assert.equal(result.status, 'open')
})

test('the browser coming back online ends a backoff wait at once', async () => {
  const page = await openDemo(browser, herald, 'unused', { connect: false })
  pages.push(page)
  const nobody = `ws://127.0.0.1:${await freePort()}/ws`
  await page.evaluate(async (url) => {
    const { WebSocketClient } = await import('/websocket.js')
    const client = new WebSocketClient('jo', 'token', { url, reconnectBaseDelay: 60_000, random: () => 0.99 })
    window.testClient = client
    await new Promise((resolve) => {
      client.on('status', (status) => { if (status === 'reconnecting') resolve() })
      client.connect()
    })
  }, nobody)
  assert.equal(await page.evaluate(() => window.__heraldSockets), 1, 'waiting about a minute before the next try')
  await page.evaluate(() => window.dispatchEvent(new Event('online')))
  await page.waitForFunction(() => window.__heraldSockets === 2)
  await page.evaluate(() => window.testClient.disconnect())
})
