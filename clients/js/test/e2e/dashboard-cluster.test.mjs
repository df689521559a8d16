// The dashboard's nodes view on a two-node cluster (real redis-server, two server processes): the second
// node appears, and turns red when it is killed, within its presence TTL.
import { test, before, after, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startHerald } from '../support/herald.mjs'
import { startRedis } from '../support/redis.mjs'
import { launchBrowser } from './browser.mjs'
import { openDashboard, closeAll, screenshotOf } from './pages.mjs'

const PRESENCE_TTL_S = 3
let redis
let browser
const nodes = []
const pages = []

/** A node in its own process, with its own data and log folders (two servers cannot share a pid file). */
function node(id) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `herald-${id}-`))
  return startHerald({
    env: {
      HERALD_REDIS_URL: redis.url, HERALD_NODE_ID: id, HERALD_REDIS_PRESENCE_TTL: `${PRESENCE_TTL_S}s`,
      HERALD_DATA_DIR: path.join(dir, 'data'), HERALD_LOG_DIR: path.join(dir, 'logs'),
    },
  })
}

before(async () => {
  redis = await startRedis()
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
  for (const n of nodes) await n.stop()
  await redis?.stop()
})
afterEach(async () => {
  for (const page of pages) assert.deepEqual(page.errors.map(String), [], 'no uncaught errors in the page')
  await closeAll(pages)
})

test('a second node appears in the nodes view and turns red within the presence TTL when killed', async () => {
  const a = await node('node-a')
  nodes.push(a)
  const dashboard = await openDashboard(browser, a)
  pages.push(dashboard)
  const rowOf = (id) => dashboard.locator(`#node-rows tr[data-node-id="${id}"]`)
  await rowOf('node-a').waitFor({ timeout: 15_000 })

  const b = await node('node-b')
  await rowOf('node-b').and(dashboard.locator('[data-state="up"]')).waitFor({ timeout: 15_000 })
  assert.match(await rowOf('node-b').locator('td').nth(8).textContent(), /redis · connected/)
  // Both nodes' samples reach the graphs, with a line each and their sum.
  await dashboard.locator('#graph-nodes', { hasText: '2 nodes' }).waitFor({ timeout: 15_000 })
  await dashboard.locator('#graph-scope option[value="node-b"]').waitFor({ state: 'attached' })

  await b.kill()
  const killed = Date.now()
  await rowOf('node-b').and(dashboard.locator('[data-state="down"]')).waitFor({ timeout: 20_000 })
  const elapsed = (Date.now() - killed) / 1000
  // Its last share was at most a second before the kill; the view polls every 2 s.
  assert.ok(elapsed <= PRESENCE_TTL_S + 3, `red ${elapsed.toFixed(1)} s after the kill (presence TTL ${PRESENCE_TTL_S} s)`)
  assert.ok(await rowOf('node-b').evaluate((tr) => tr.classList.contains('down')))
  assert.equal(await rowOf('node-a').getAttribute('data-state'), 'up')
  await dashboard.locator('#graph-nodes', { hasText: '1 down' }).waitFor({ timeout: 10_000 })
  await screenshotOf(dashboard, '#nodes', 'dashboard-nodes.png')
})
