// Drives the demo and dashboard pages the way a person would.
import fs from 'node:fs'
import path from 'node:path'
import { REPO_ROOT, API_KEY, mintToken } from '../support/herald.mjs'

export const VIEWPORT = { width: 1280, height: 860 }
// Screenshots go to clients/js/test/screenshots (ignored by git); HERALD_SCREENSHOTS=docs refreshes
// the README's pictures in docs/img.
export const SCREENSHOT_DIR = process.env.HERALD_SCREENSHOTS === 'docs'
  ? path.join(REPO_ROOT, 'docs/img')
  : path.join(REPO_ROOT, 'clients/js/test/screenshots')

/** Counts the WebSocket objects a page creates, so tests can tell that no reconnect happened. */
function countSockets() {
  const Native = window.WebSocket
  window.__heraldSockets = 0
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args)
      window.__heraldSockets += 1
    }
  }
}

/** A new tab (own context: own storage) with the demo connected as `userId`. */
export async function openDemo(browser, herald, userId, { connect = true } = {}) {
  const context = await browser.newContext({ viewport: VIEWPORT })
  const page = await context.newPage()
  page.errors = []
  page.on('pageerror', (error) => page.errors.push(error))
  await page.addInitScript(countSockets)
  await page.goto(`${herald.httpUrl}/demo`)
  await page.fill('#user-id', String(userId))
  await page.fill('#token', mintToken(userId))
  if (connect) {
    await page.click('#connect')
    await waitForStatus(page, 'open')
  }
  return page
}

export function waitForStatus(page, status, timeout = 15_000) {
  return page.locator(`#status[data-status="${status}"]`).waitFor({ timeout })
}

/** Waits for a log line of `kind` containing `text`. */
export function logEntry(page, kind, text, timeout = 10_000) {
  return page.locator(`#log li[data-kind="${kind}"]`, { hasText: text }).first().waitFor({ timeout })
}

export async function subscribe(page, channel) {
  await page.fill('#channel', channel)
  await page.click('#subscribe')
  await logEntry(page, 'status', `Subscribed to ${channel}`)
}

/** A new tab with the dashboard signed in. */
export async function openDashboard(browser, herald, apiKey = API_KEY, contextOptions = {}) {
  const context = await browser.newContext({ viewport: VIEWPORT, ...contextOptions })
  const page = await context.newPage()
  page.errors = []
  page.on('pageerror', (error) => page.errors.push(error))
  await page.goto(`${herald.httpUrl}/dashboard`)
  await page.fill('#api-key', apiKey)
  await page.click('#sign-in')
  return page
}

export async function onlineCount(page) {
  const text = await page.locator('#online-count').textContent()
  return Number(text)
}

export async function screenshot(page, name, { fullPage = true } = {}) {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true })
  await page.evaluate(() => { document.activeElement?.blur(); window.scrollTo(0, 0) })
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, name), fullPage })
}

/** A screenshot of one element (a dashboard view), scrolled into place. */
export async function screenshotOf(page, selector, name) {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true })
  await page.evaluate(() => document.activeElement?.blur())
  await page.locator(selector).screenshot({ path: path.join(SCREENSHOT_DIR, name) })
}

export async function closeAll(pages) {
  for (const page of pages.splice(0)) await page.context().close()
}

/** The pages import the client from /websocket.js, which the server build copies into the jar. */
export async function assertServesClient(herald) {
  const response = await fetch(`${herald.httpUrl}/websocket.js`)
  if (response.status !== 200) {
    throw new Error(`${herald.httpUrl}/websocket.js answered ${response.status}: the jar must bundle clients/js/websocket.js as web/websocket.js`)
  }
}
