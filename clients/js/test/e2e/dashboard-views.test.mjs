// The dashboard's live views in a real browser against a real Herald server: graphs, channels, the
// message inspector, and the page on a phone in dark mode.
import { test, before, after, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import WebSocket from 'ws'
import { WebSocketClient } from '../../websocket.js'
import { startHerald, mintToken, nextEvent } from '../support/herald.mjs'
import { launchBrowser } from './browser.mjs'
import { openDashboard, openDemo, subscribe, closeAll, screenshotOf, screenshot } from './pages.mjs'

let herald
let browser
const pages = []
const clients = []

before(async () => {
  herald = await startHerald()
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
  await herald?.stop()
})
afterEach(async () => {
  for (const page of pages) assert.deepEqual(page.errors.map(String), [], 'no uncaught errors in the page')
  await closeAll(pages)
  for (const client of clients.splice(0)) client.disconnect()
})

/** A Node client (the JS SDK over `ws`), connected and subscribed to `channels`. */
async function client(userId, ...channels) {
  const c = new WebSocketClient(userId, mintToken(userId), { url: herald.wsUrl, WebSocket })
  clients.push(c)
  const opened = nextEvent(c, 'connected', { timeout: 10_000 })
  c.connect()
  await opened
  for (const channel of channels) {
    const joined = nextEvent(c, 'subscribed', { timeout: 10_000 })
    c.subscribe(channel)
    await joined
  }
  return c
}

/** Sends traffic until stopped: client chats (messages in) and channel pushes (out, deliveries). */
function traffic(sender, to, channel) {
  let running = true
  const done = (async () => {
    for (let i = 0; running; i++) {
      sender.send('chat', { to_user_id: to, content: `hello ${i}` })
      await herald.admin('send-to-channel', { channel, type: 'tick', data: { i } })
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  })()
  return async () => { running = false; await done }
}

/** Pixels drawn (not transparent) on a chart's canvas. */
function inkOf(page, chart) {
  return page.evaluate((name) => {
    const canvas = document.querySelector(`.chart[data-chart="${name}"] canvas`)
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height)
    let ink = 0
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) ink++
    return ink
  }, chart)
}

test('the graphs draw and move while a client sends traffic', async () => {
  const ann = await client('ann', 'ticks')
  const bob = await client('bob')
  const stopTraffic = traffic(ann, 'bob', 'ticks')
  try {
    const dashboard = await openDashboard(browser, herald)
    pages.push(dashboard)
    const graphs = dashboard.locator('#graphs')
    await dashboard.waitForFunction(() => Number(document.querySelector('.chart[data-chart="connections"]').dataset.latest) >= 2,
      null, { timeout: 20_000 })
    await dashboard.waitForFunction(() => ['messages', 'deliveries'].every((name) =>
      Number(document.querySelector(`.chart[data-chart="${name}"]`).dataset.latest) > 0), null, { timeout: 20_000 })
    const first = Number(await graphs.getAttribute('data-last-time'))
    const inkBefore = await inkOf(dashboard, 'messages')
    assert.ok(inkBefore > 200, `the messages chart has lines drawn (${inkBefore} pixels)`)
    // It moves: a later sample comes in and the plot is drawn again with it.
    await dashboard.waitForFunction((t) => Number(document.getElementById('graphs').dataset.lastTime) >= t + 2, first, { timeout: 20_000 })
    const points = Number(await dashboard.locator('.chart[data-chart="deliveries"]').getAttribute('data-points'))
    assert.ok(points >= 3, `several samples plotted (${points})`)
    assert.ok(await inkOf(dashboard, 'deliveries') > 200)
    await screenshotOf(dashboard, '#graphs', 'dashboard-graphs.png')
  } finally {
    await stopTraffic()
  }
  assert.ok(bob)
})

test('channels are listed with counts, searched, sorted, and show the channel\'s kept history', async () => {
  await client('cy', 'orders', 'orders-eu', 'news')
  await client('dee', 'orders')
  await client('eve', 'orders', 'news')
  const dashboard = await openDashboard(browser, herald)
  pages.push(dashboard)
  const row = (name) => dashboard.locator(`#channel-rows tr[data-channel="${name}"]`)
  await row('orders').waitFor({ timeout: 10_000 })
  assert.equal(await row('orders').locator('td').nth(1).textContent(), '3')
  const names = () => dashboard.locator('#channel-rows tr').evaluateAll((rows) => rows.map((r) => r.dataset.channel))
  assert.deepEqual((await names()).slice(0, 3), ['orders', 'news', 'orders-eu'])

  await dashboard.click('#channels button.sort[data-sort="name"]')
  await dashboard.waitForFunction(() => document.querySelector('#channel-rows tr')?.dataset.channel === 'news', null, { timeout: 10_000 })
  await dashboard.fill('#channel-search', 'ORDERS')
  await dashboard.waitForFunction(() => [...document.querySelectorAll('#channel-rows tr')].map((r) => r.dataset.channel).join() === 'orders,orders-eu', null, { timeout: 10_000 })

  await row('orders').click()
  await dashboard.locator('#history-state[data-state="loaded"]', { hasText: 'No recent messages' }).waitFor({ timeout: 10_000 })
  await herald.admin('send-to-channel', { channel: 'orders', type: 'order_paid', data: { id: 7 } })
  await row('orders-eu').click()
  await row('orders').click()
  await dashboard.locator('#history-state[data-state="loaded"]', { hasText: '1 recent messages' }).waitFor({ timeout: 10_000 })
  assert.equal(await dashboard.locator('#history-rows tr td').nth(1).textContent(), 'order_paid')
  await screenshotOf(dashboard, '#channels', 'dashboard-channels.png')
})

test('the connected users are paged from the server and searchable', async () => {
  await client('zed-1')
  await client('zed-2')
  await client('amy')
  const dashboard = await openDashboard(browser, herald)
  pages.push(dashboard)
  await dashboard.locator('#users tr[data-user-id="amy"]').waitFor({ timeout: 10_000 })
  await dashboard.fill('#user-search', 'ZED')
  await dashboard.waitForFunction(() => [...document.querySelectorAll('#users tr')].map((r) => r.dataset.userId).join() === 'zed-1,zed-2', null, { timeout: 10_000 })
  assert.equal(await dashboard.locator('#users-count').textContent(), '2 shown')
})

test('the inspector shows a message sent through the admin API within a second, and holds them while paused', async () => {
  await client('fin', 'payments')
  const dashboard = await openDashboard(browser, herald)
  pages.push(dashboard)
  await dashboard.selectOption('#inspect-kind', 'channel')
  await dashboard.fill('#inspect-target', 'payments')
  await dashboard.click('#inspect-start')
  await dashboard.locator('#inspect-state', { hasText: 'watching channel payments' }).waitFor({ timeout: 10_000 })

  const sent = Date.now()
  await herald.admin('send-to-channel', { channel: 'payments', type: 'payment_settled', data: { id: 77, amount: 12.5 } })
  await dashboard.locator('#inspect-rows tr[data-type="payment_settled"]').waitFor({ timeout: 1000 })
  const elapsed = Date.now() - sent
  assert.ok(elapsed < 1000, `shown ${elapsed} ms after the push`)
  const cells = await dashboard.locator('#inspect-rows tr[data-type="payment_settled"] td').allTextContents()
  assert.match(cells[3], /^1 connection$/)
  assert.match(cells[4], /"amount":12\.5/)

  await dashboard.click('#inspect-pause')
  await herald.admin('send-to-channel', { channel: 'payments', type: 'while_paused', data: {} })
  await dashboard.locator('#inspect-held', { hasText: '1' }).waitFor({ timeout: 5000 })
  assert.equal(await dashboard.locator('#inspect-rows tr[data-type="while_paused"]').count(), 0)
  await dashboard.click('#inspect-pause')
  await dashboard.locator('#inspect-rows tr[data-type="while_paused"]').waitFor({ timeout: 5000 })
  await screenshotOf(dashboard, '#inspector', 'dashboard-inspector.png')

  await dashboard.click('#inspect-start') // Stop
  await dashboard.locator('#inspect-state', { hasText: 'stopped' }).waitFor()
})

test('on a phone in dark mode the page fits the width and uses the dark colours', async () => {
  await client('gil', 'orders')
  const dashboard = await openDashboard(browser, herald, undefined, { viewport: { width: 390, height: 844 }, colorScheme: 'dark', isMobile: true, hasTouch: true })
  pages.push(dashboard)
  await dashboard.locator('#node-rows tr').first().waitFor({ timeout: 10_000 })
  await dashboard.waitForFunction(() => Number(document.querySelector('.chart[data-chart="connections"]').dataset.points) >= 2, null, { timeout: 20_000 })
  const layout = await dashboard.evaluate(() => ({
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    background: getComputedStyle(document.body).backgroundColor,
    chartWidth: document.querySelector('.chart[data-chart="connections"] canvas').getBoundingClientRect().width,
  }))
  assert.ok(layout.overflow <= 0, `no sideways scrolling (${layout.overflow} px too wide)`)
  assert.equal(layout.background, 'rgb(15, 19, 26)')
  assert.ok(layout.chartWidth > 250 && layout.chartWidth <= 390, `charts fit the phone (${layout.chartWidth} px)`)
  await screenshot(dashboard, 'dashboard-phone-dark.png', { fullPage: false })
})
