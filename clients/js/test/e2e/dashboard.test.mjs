// The dashboard page in a real browser against a real Herald server.
import { test, before, after, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import { startHerald } from '../support/herald.mjs'
import { launchBrowser } from './browser.mjs'
import { openDemo, openDashboard, waitForStatus, logEntry, subscribe, onlineCount, screenshot, closeAll, assertServesClient } from './pages.mjs'

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

/** Waits until the dashboard shows `count` online users. */
async function countIs(dashboard, count) {
  await dashboard.waitForFunction((expected) => document.getElementById('online-count').textContent === String(expected), count, { timeout: 10_000 })
}

test('a wrong API key is refused with the server message', async () => {
  const dashboard = await openDashboard(browser, herald, 'not-the-key')
  pages.push(dashboard)
  const error = dashboard.locator('#login-error')
  await error.filter({ hasText: '401' }).waitFor()
  assert.ok(await dashboard.locator('#board').isHidden())
})

test('the online count follows pages connecting, and Kick closes a page for good', async () => {
  const dashboard = await openDashboard(browser, herald)
  pages.push(dashboard)
  await dashboard.locator('#poll-state', { hasText: 'live' }).waitFor()
  const before = await onlineCount(dashboard)

  const fay = await openDemo(browser, herald, 'fay')
  pages.push(fay)
  await countIs(dashboard, before + 1)
  const row = dashboard.locator('#users tr[data-user-id="fay"]')
  await row.waitFor()

  await row.getByRole('button', { name: 'Disconnect user fay' }).click()
  await waitForStatus(fay, 'closed')
  assert.match(await fay.locator('#connection-detail').textContent(), /administrator disconnected/)
  await countIs(dashboard, before)
  await row.waitFor({ state: 'detached' })
  await dashboard.locator('#kick-result', { hasText: 'User fay disconnected.' }).waitFor()

  // Two more polls (about 4 s) later fay is still gone and her page never opened another socket.
  const seen = await dashboard.locator('#updated').textContent()
  await dashboard.waitForFunction((text) => document.getElementById('updated').textContent !== text, seen, { timeout: 10_000 })
  const seenAgain = await dashboard.locator('#updated').textContent()
  await dashboard.waitForFunction((text) => document.getElementById('updated').textContent !== text, seenAgain, { timeout: 10_000 })
  assert.equal(await dashboard.locator('#users tr[data-user-id="fay"]').count(), 0)
  assert.equal(await fay.evaluate(() => window.__heraldSockets), 1)
  assert.equal(await fay.locator('#status').getAttribute('data-status'), 'closed')
})

test('notifications and channel pushes from the dashboard reach the demo page', async () => {
  const dashboard = await openDashboard(browser, herald)
  const gus = await openDemo(browser, herald, 301)
  const hal = await openDemo(browser, herald, 'hal')
  pages.push(dashboard, gus, hal)
  await subscribe(gus, 'orders')
  await dashboard.locator('#users tr[data-user-id="301"]').waitFor()

  // To everyone.
  await dashboard.fill('#notify-title', 'System maintenance')
  await dashboard.fill('#notify-message', 'Tonight 23:00 to 24:00')
  await dashboard.selectOption('#notify-type', 'warning')
  await dashboard.click('#notify-send')
  await dashboard.locator('#notify-result.ok').waitFor()
  await logEntry(gus, 'notification', 'System maintenance')
  await logEntry(hal, 'notification', 'System maintenance')

  // To listed users only: hal gets it, gus does not.
  await dashboard.getByLabel('Listed users').check()
  await dashboard.fill('#notify-users', 'hal')
  await dashboard.fill('#notify-title', 'Just for Hal')
  await dashboard.click('#notify-send')
  await logEntry(hal, 'notification', 'Just for Hal')

  // To a channel.
  await dashboard.fill('#channel-name', 'orders')
  await dashboard.fill('#channel-type', 'data_update')
  await dashboard.fill('#channel-data', '{"order_id": 123, "status": "paid"}')
  await dashboard.click('#channel-send')
  await dashboard.locator('#channel-result.ok').waitFor()
  await logEntry(gus, 'data_update', '#orders')
  await screenshot(dashboard, 'dashboard.png')
  // gus's log has everything hal got before and after "Just for Hal"; the one for hal never came.
  assert.equal(await gus.locator('#log li', { hasText: 'Just for Hal' }).count(), 0)

  // Bad JSON is caught in the page; a bad channel name is refused by the server with its message.
  await dashboard.fill('#channel-data', '{oops')
  await dashboard.click('#channel-send')
  await dashboard.locator('#channel-result.error', { hasText: 'not valid JSON' }).waitFor()
  await dashboard.fill('#channel-data', '{}')
  await dashboard.fill('#channel-name', 'no spaces allowed')
  await dashboard.click('#channel-send')
  await dashboard.locator('#channel-result.error', { hasText: /^4\d\d: / }).waitFor()

})
