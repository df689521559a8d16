// The admin API as the dashboard calls it: key and base URL from sessionStorage, envelope unwrapped.
export const $ = (id) => document.getElementById(id)
export const KEY_STORAGE = 'herald.dashboard.apiKey'
export const BASE_STORAGE = 'herald.dashboard.apiBase'

/** An admin API answer other than 200: the envelope's message, with its code. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message)
    this.status = status
  }
}

export const apiKey = () => sessionStorage.getItem(KEY_STORAGE)
export const apiBase = () => (sessionStorage.getItem(BASE_STORAGE) || location.origin).replace(/\/+$/, '')
export const authHeaders = () => ({ Authorization: `Bearer ${apiKey()}` })

/** Calls /admin/websocket/<route>: GET without a body, POST with one. Resolves to the envelope's data. */
export async function api(route, body, { signal } = {}) {
  let response
  try {
    response = await fetch(`${apiBase()}/admin/websocket/${route}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { ...authHeaders(), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    })
  } catch (error) {
    throw new ApiError(0, `cannot reach ${apiBase()} (${error.message})`)
  }
  return unwrap(response)
}

/** The envelope's data for a 200, else an ApiError with the envelope's message. */
export async function unwrap(response) {
  let envelope = null
  try { envelope = await response.json() } catch { /* not JSON: described below */ }
  if (response.status !== 200) {
    throw new ApiError(response.status, envelope && envelope.message ? envelope.message : `${response.status} ${response.statusText}`.trim())
  }
  return envelope ? envelope.data : null
}

/** Shows an error (with its status) or a success text in a banner element. */
export function showResult(id, error, success) {
  const box = $(id)
  box.className = `banner ${error ? 'error' : 'ok'}`
  box.textContent = error ? `${error.status ? `${error.status}: ` : ''}${error.message}` : success
}

/** Runs `task` now and then every `ms` after each run settles; returns a stop function. */
export function every(ms, task) {
  let timer = null
  let stopped = false
  const run = async () => {
    try { await task() } finally { if (!stopped) timer = setTimeout(run, ms) }
  }
  run()
  return () => { stopped = true; clearTimeout(timer) }
}

export const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props)
  node.append(...children.filter((c) => c !== null && c !== undefined))
  return node
}

export function formatBytes(n) {
  if (!(n >= 0)) return '–'
  const units = ['B', 'KB', 'MB', 'GB']
  let i = 0
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++ }
  return `${n < 10 && i > 0 ? n.toFixed(1) : Math.round(n)} ${units[i]}`
}

export function formatDuration(seconds) {
  if (!(seconds >= 0)) return '–'
  const d = Math.floor(seconds / 86400)
  const h = Math.floor((seconds % 86400) / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  if (d) return `${d}d ${h}h`
  if (h) return `${h}h ${m}m`
  if (m) return `${m}m ${Math.floor(seconds % 60)}s`
  return `${Math.floor(seconds)}s`
}

export const clock = (ms) => new Date(ms).toLocaleTimeString([], { hour12: false })
