// A real redis-server (the system's, as the server's Java tests use) on a free loopback port, for
// cluster-mode tests. No data is saved; stop() ends it.
import { spawn } from 'node:child_process'
import { freePort } from './herald.mjs'

const STARTUP_TIMEOUT_MS = 15_000

export async function startRedis() {
  const port = await freePort()
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const exited = new Promise((resolve) => child.once('exit', resolve))
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start within ${STARTUP_TIMEOUT_MS} ms:\n${output}`)), STARTUP_TIMEOUT_MS)
    child.once('error', (error) => { clearTimeout(timer); reject(new Error(`cannot run redis-server (apt-get install redis-server): ${error.message}`)) })
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      output += chunk
      if (/Ready to accept connections/.test(output)) { clearTimeout(timer); resolve() }
    })
    exited.then((code) => { clearTimeout(timer); reject(new Error(`redis-server exited (${code}):\n${output}`)) })
  })
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      await exited
    },
  }
}
