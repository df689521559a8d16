// Debian's Chromium through this folder's playwright-core (the same launch as clients/js/test/e2e/browser.mjs).
import { execFileSync } from 'node:child_process'
import { chromium } from 'playwright-core'

export function launchBrowser() {
  const path = process.env.CHROMIUM_PATH
    || execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser || command -v google-chrome'],
      { encoding: 'utf8' }).trim()
  return chromium.launch({ executablePath: path, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] })
}
