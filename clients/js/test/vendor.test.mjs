// The dashboard's charting library, uPlot, is committed into the server's resources (so a Maven build
// needs no Node) and must be byte-for-byte the npm package this lockfile pins; the jar must serve it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { REPO_ROOT, startHerald } from './support/herald.mjs'

const ASSETS = path.join(REPO_ROOT, 'server/src/main/resources/web/assets')
const PACKAGE = path.join(REPO_ROOT, 'clients/js/node_modules/uplot')
const FILES = [['uPlot.iife.min.js', 'dist/uPlot.iife.min.js'], ['uPlot.min.css', 'dist/uPlot.min.css'], ['uPlot.LICENSE.txt', 'LICENSE']]

test('the vendored uPlot files are those of the pinned npm package', () => {
  const pinned = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'clients/js/package.json'), 'utf8')).devDependencies.uplot
  assert.equal(JSON.parse(fs.readFileSync(path.join(PACKAGE, 'package.json'), 'utf8')).version, pinned)
  for (const [vendored, original] of FILES) {
    assert.ok(fs.readFileSync(path.join(ASSETS, vendored)).equals(fs.readFileSync(path.join(PACKAGE, original))),
      `${vendored} differs from uplot@${pinned}/${original}: copy it again (see docs/operations.md, "Dashboard")`)
  }
})

test('the server serves uPlot from the jar, so the dashboard works offline', async () => {
  const herald = await startHerald()
  try {
    for (const [vendored] of FILES.slice(0, 2)) {
      const response = await fetch(`${herald.httpUrl}/assets/${vendored}`)
      assert.equal(response.status, 200)
      assert.ok(Buffer.from(await response.arrayBuffer()).equals(fs.readFileSync(path.join(ASSETS, vendored))))
    }
  } finally {
    await herald.stop()
  }
})
