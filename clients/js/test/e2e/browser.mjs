// Launches the system Chromium through playwright-core (no browser download: `npx playwright install`
// is not needed). CHROMIUM_PATH overrides where the binary is looked for.
import { execFileSync } from 'node:child_process'
import { chromium } from 'playwright-core'

const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']

function chromiumPath() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH
  for (const name of CANDIDATES) {
    try {
      return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim()
    } catch { /* try the next name */ }
  }
  throw new Error(`no Chromium found (tried ${CANDIDATES.join(', ')}): install one (e.g. apt-get install -y chromium) or set CHROMIUM_PATH`)
}

/** A headless Chromium with a fresh profile (playwright creates a temporary --user-data-dir per launch). */
export function launchBrowser() {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
}
