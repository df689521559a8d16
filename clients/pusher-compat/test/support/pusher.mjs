// Helpers for driving Herald's Pusher front door with the real npm packages: a Herald process with
// one Pusher app, pusher-js clients whose channel auth and sign-in are signed by the official
// `pusher` server SDK (as a Laravel backend would), and a webhook receiver.
import http from 'node:http'
import { createRequire } from 'node:module'
import { startHerald } from '../../../js/test/support/herald.mjs'

const require = createRequire(import.meta.url)
export const PusherJs = require('pusher-js')
export const PusherServer = require('pusher')

export const APP = { id: '1001', key: 'herald-app-key', secret: 'herald-app-secret' }
export const ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64')

/** Herald with the Pusher app configured through the environment (plus `env`). */
export async function startPusherHerald({ port, env = {} } = {}) {
  return startHerald({
    port,
    env: {
      HERALD_PUSHER_APP_ID: APP.id,
      HERALD_PUSHER_APP_KEY: APP.key,
      HERALD_PUSHER_APP_SECRET: APP.secret,
      HERALD_SHUTDOWN_DRAIN_TIMEOUT: '3s',
      ...env,
    },
  })
}

/** The official server SDK pointed at Herald. */
export function serverSdk(herald, app = APP) {
  return new PusherServer({
    appId: app.id, key: app.key, secret: app.secret,
    host: '127.0.0.1', port: String(herald.port), useTLS: false,
    encryptionMasterKeyBase64: ENCRYPTION_KEY,
  })
}

/** pusher-js options as a Laravel app sets them for a self-hosted server. */
export function clientOptions(herald, sdk, { user = { id: '1', user_info: { name: 'One' } } } = {}) {
  return {
    cluster: 'mt1',
    wsHost: '127.0.0.1',
    wsPort: herald.port,
    forceTLS: false,
    enabledTransports: ['ws'],
    disableStats: true,
    channelAuthorization: {
      customHandler: ({ socketId, channelName }, callback) => {
        try {
          const data = channelName.startsWith('presence-') ? { user_id: user.id, user_info: user.user_info } : undefined
          callback(null, sdk.authorizeChannel(socketId, channelName, data))
        } catch (e) {
          callback(e, null)
        }
      },
    },
    userAuthentication: {
      customHandler: ({ socketId }, callback) => callback(null, sdk.authenticateUser(socketId, user)),
    },
  }
}

/** A connected pusher-js client. */
export async function connectClient(herald, sdk, options = {}) {
  const client = new PusherJs(APP.key, clientOptions(herald, sdk, options))
  await state(client, 'connected')
  return client
}

/** Resolves when the client reaches `wanted` (connected, disconnected, …). */
export function state(client, wanted, timeout = 10_000) {
  if (client.connection.state === wanted) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`state ${client.connection.state}, not ${wanted}, after ${timeout} ms`)), timeout)
    const on = ({ current }) => {
      if (current === wanted) {
        clearTimeout(timer)
        client.connection.unbind('state_change', on)
        resolve()
      }
    }
    client.connection.bind('state_change', on)
  })
}

/** Resolves with the data of the next `event` on `target` (a channel or the client). */
export function next(target, event, timeout = 10_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeout} ms`)), timeout)
    const handler = (data) => {
      clearTimeout(timer)
      target.unbind(event, handler)
      resolve(data)
    }
    target.bind(event, handler)
  })
}

/** Subscribes and waits for pusher:subscription_succeeded; resolves with the channel. */
export async function subscribed(client, name) {
  const channel = client.subscribe(name)
  await new Promise((resolve, reject) => {
    channel.bind('pusher:subscription_succeeded', resolve)
    channel.bind('pusher:subscription_error', (e) => reject(new Error(`subscription_error on ${name}: ${JSON.stringify(e)}`)))
  })
  return channel
}

/** Records every event of `target` (client.bind_global / channel.bind_global) for "nothing else" checks. */
export function recordAll(target) {
  const seen = []
  target.bind_global((event, data) => seen.push({ event, data }))
  return seen
}

/** A local HTTP server that collects webhook requests (raw body and headers). */
export async function webhookReceiver() {
  const received = []
  const server = http.createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (c) => { body += c })
    req.on('end', () => {
      received.push({ headers: req.headers, rawBody: body })
      res.writeHead(200, { 'Content-Type': 'text/plain' })
      res.end('ok')
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${server.address().port}/webhook`,
    received,
    close: () => new Promise((resolve) => server.close(resolve)),
  }
}
