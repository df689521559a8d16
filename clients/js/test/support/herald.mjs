// Starts a real Herald server process for the tests and talks to its admin API.
//
// The server is `java -jar $HERALD_JAR start` (default: the shaded jar under server/target, which
// test/run.sh builds). HERALD_COMMAND replaces the whole command line, e.g. HERALD_COMMAND="./herald start".
import { spawn } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..')
export const JWT_SECRET = 'herald-test-secret-0123456789abcdef-0123456789'
export const API_KEY = 'herald-test-api-key'
const DEFAULT_JAR = path.join(REPO_ROOT, 'server/target/herald-server-0.1.0-SNAPSHOT-all.jar')
const STARTUP_TIMEOUT_MS = 60_000

/** A TCP port that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/** HS256 JWT with `sub` = userId, minted with node:crypto. */
export function mintToken(userId, { secret = JWT_SECRET, ttlSeconds = 3600, claims = {} } = {}) {
  const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const now = Math.floor(Date.now() / 1000)
  const body = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ sub: String(userId), iat: now, exp: now + ttlSeconds, ...claims })}`
  const signature = crypto.createHmac('sha256', secret).update(body).digest('base64url')
  return `${body}.${signature}`
}

function command() {
  if (process.env.HERALD_COMMAND) return { file: 'sh', args: ['-c', `exec ${process.env.HERALD_COMMAND}`] }
  const jar = process.env.HERALD_JAR || DEFAULT_JAR
  if (!fs.existsSync(jar)) {
    throw new Error(`Herald jar not found at ${jar}: build it with "mvn -q -DskipTests package" (clients/js/test/run.sh does) or set HERALD_JAR`)
  }
  return { file: 'java', args: ['-jar', jar, 'start'] }
}

/**
 * Starts Herald on `port` (default: a free one) and resolves once it prints "listening on ws://host:port".
 * Resolves to a handle: { port, wsUrl, httpUrl, output(), admin(path, body?), stop(), kill() }.
 */
export async function startHerald({ port, env = {} } = {}) {
  port = port || (await freePort())
  const { file, args } = command()
  const child = spawn(file, args, {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      HERALD_PORT: String(port),
      HERALD_HOST: '127.0.0.1',
      HERALD_JWT_SECRET: JWT_SECRET,
      HERALD_API_KEY: API_KEY,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`Herald did not report "listening on" within ${STARTUP_TIMEOUT_MS} ms`)), STARTUP_TIMEOUT_MS)
    const onData = (chunk) => {
      output += chunk
      if (/listening on ws:\/\/\S+/.test(output)) {
        clearTimeout(timer)
        resolve()
      }
    }
    function fail(error) {
      clearTimeout(timer)
      child.kill('SIGKILL')
      error.message += `\n--- server output ---\n${output}`
      reject(error)
    }
    child.stdout.setEncoding('utf8').on('data', onData)
    child.stderr.setEncoding('utf8').on('data', onData)
    exited.then(({ code, signal }) => fail(new Error(`Herald exited during startup (code ${code}, signal ${signal})`)))
  })
  const httpUrl = `http://127.0.0.1:${port}`
  return {
    port,
    httpUrl,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    output: () => output,
    admin: (route, body) => admin(httpUrl, route, body),
    /** SIGKILL, the way a crash ends it: no drain, no cleanup; resolves once the process is gone. */
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited
    },
    /** SIGTERM (graceful: clients get 1001) and wait for the process to end. */
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000)
      await exited
      clearTimeout(killer)
    },
  }
}

/** Calls `/admin/websocket/<route>` (GET without body, POST with one) and returns the parsed envelope. */
export async function admin(httpUrl, route, body, { apiKey = API_KEY } = {}) {
  const response = await fetch(`${httpUrl}/admin/websocket/${route}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const envelope = await response.json()
  if (response.status !== 200) throw new Error(`admin ${route} answered ${response.status}: ${JSON.stringify(envelope)}`)
  return envelope.data
}

/** Polls `predicate` every 10 ms until it returns a truthy value; fails after `timeout` ms with `message`. */
export async function waitFor(predicate, { timeout = 5000, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout
  for (;;) {
    const value = await predicate()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${message}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** Resolves with the arguments of the next `type` event of `client` (a frame type or `status`/`resubscribed`). */
export function nextEvent(client, type, { timeout = 5000, where = () => true } = {}) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off()
      reject(new Error(`no "${type}" event within ${timeout} ms (status ${client.status})`))
    }, timeout)
    const off = client.on(type, (...args) => {
      if (!where(...args)) return
      clearTimeout(timer)
      off()
      resolve(args)
    })
  })
}
