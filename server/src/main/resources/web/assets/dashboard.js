// Herald dashboard: live graphs, nodes, channels, the message inspector, presence and the admin push
// API, with the key kept in sessionStorage. Each view is a module; this one signs in and out.
import { $, api, ApiError, apiKey, showResult, KEY_STORAGE, BASE_STORAGE } from './dash-api.js'
import { startGraphs, stopGraphs } from './dash-graphs.js'
import { startNodes, stopNodes } from './dash-nodes.js'
import { startChannels, stopChannels } from './dash-channels.js'
import { initInspector, stopInspector } from './dash-inspector.js'
const POLL_INTERVAL_MS = 2000
const USERS_SHOWN = 100 // the first of the online users (GET users is paged); search finds the others
let pollTimer = null
let polling = false

const toUserId = (text) => (/^\d+$/.test(text) ? Number(text) : text)

function init() {
  $('api-base').value = sessionStorage.getItem(BASE_STORAGE) || location.origin
  $('login-form').addEventListener('submit', (event) => { event.preventDefault(); signIn() })
  $('sign-out').addEventListener('click', () => signOut())
  $('kick-form').addEventListener('submit', (event) => { event.preventDefault(); kick($('kick-user').value.trim()) })
  $('notify-form').addEventListener('submit', (event) => { event.preventDefault(); notify() })
  $('notify-form').addEventListener('change', () => {
    $('notify-users-row').classList.toggle('hidden', targetAll())
    $('notify-users').required = !targetAll()
  })
  $('channel-form').addEventListener('submit', (event) => { event.preventDefault(); pushToChannel() })
  let searchTimer = null
  $('user-search').addEventListener('input', () => { clearTimeout(searchTimer); searchTimer = setTimeout(poll, 250) })
  if (apiKey()) showBoard()
}

async function signIn() {
  sessionStorage.setItem(KEY_STORAGE, $('api-key').value.trim())
  sessionStorage.setItem(BASE_STORAGE, $('api-base').value.trim() || location.origin)
  $('sign-in').disabled = true
  try {
    await api('online-count') // checks the key before showing the board
    $('login-error').textContent = ''
    $('api-key').value = ''
    showBoard()
  } catch (error) {
    sessionStorage.removeItem(KEY_STORAGE)
    if (error.status === 401) error.message = `the server refused this API key (${error.message})`
    showResult('login-error', error)
  } finally {
    $('sign-in').disabled = false
  }
}

function signOut(message) {
  sessionStorage.removeItem(KEY_STORAGE)
  clearTimeout(pollTimer)
  pollTimer = null
  stopGraphs()
  stopNodes()
  stopChannels()
  stopInspector()
  $('board').classList.add('hidden')
  $('login').classList.remove('hidden')
  setPollState('closed', 'signed out')
  if (message) showResult('login-error', message)
  $('api-key').focus()
}

function showBoard() {
  $('login').classList.add('hidden')
  $('board').classList.remove('hidden')
  poll()
  startGraphs(signOut)
  startNodes(signOut)
  startChannels(signOut)
  initInspector()
}

function setPollState(kind, text) {
  const pill = $('poll-state')
  pill.className = `pill ${kind}`
  pill.textContent = text
}

/** Refreshes count and list, then schedules itself: one request pair in flight at a time. */
async function poll() {
  clearTimeout(pollTimer)
  if (polling || !apiKey()) return
  polling = true
  try {
    const query = new URLSearchParams({ q: $('user-search').value.trim(), limit: USERS_SHOWN })
    const [count, users] = await Promise.all([api('online-count'), api(`users?${query}`)])
    render(count.online_count, users)
    $('poll-error').textContent = ''
    setPollState('open', 'live')
  } catch (error) {
    if (error.status === 401) return signOut(error)
    showResult('poll-error', error)
    setPollState('reconnecting', 'retrying')
  } finally {
    polling = false
    if (apiKey()) pollTimer = setTimeout(poll, POLL_INTERVAL_MS)
  }
}

function render(onlineCount, page) {
  const userIds = page.user_ids
  $('online-count').textContent = String(onlineCount)
  $('updated').textContent = `updated ${new Date().toLocaleTimeString([], { hour12: false })}`
  $('users-count').textContent = page.total > userIds.length ? `${userIds.length} of ${page.total} shown` : `${userIds.length} shown`
  $('users-empty').hidden = userIds.length > 0
  $('users').replaceChildren(...userIds.map((userId) => {
    const row = document.createElement('tr')
    row.dataset.userId = String(userId)
    const id = Object.assign(document.createElement('td'), { className: 'mono', textContent: String(userId) })
    const actions = Object.assign(document.createElement('td'), { className: 'num' })
    const notifyButton = Object.assign(document.createElement('button'), { type: 'button', className: 'secondary small', textContent: 'Notify' })
    notifyButton.addEventListener('click', () => {
      document.querySelector('input[name="target"][value="users"]').checked = true
      $('notify-form').dispatchEvent(new Event('change'))
      $('notify-users').value = String(userId)
      $('notify-title').focus()
    })
    const kickButton = Object.assign(document.createElement('button'), { type: 'button', className: 'danger small', textContent: 'Kick' })
    kickButton.setAttribute('aria-label', `Disconnect user ${userId}`)
    kickButton.addEventListener('click', () => kick(String(userId)))
    actions.append(notifyButton, ' ', kickButton)
    row.append(id, actions)
    return row
  }))
}

async function kick(userId) {
  if (!userId) return
  try {
    await api('disconnect-user', { user_id: toUserId(userId) })
    showResult('kick-result', null, `User ${userId} disconnected.`)
    $('kick-user').value = ''
    poll()
  } catch (error) {
    showResult('kick-result', error)
  }
}

const targetAll = () => document.querySelector('input[name="target"]:checked').value === 'all'

async function notify() {
  const body = { title: $('notify-title').value.trim(), message: $('notify-message').value.trim(), type: $('notify-type').value }
  let route = 'send-notification'
  if (!targetAll()) {
    body.user_ids = $('notify-users').value.split(',').map((id) => id.trim()).filter(Boolean).map(toUserId)
    if (body.user_ids.length === 0) return showResult('notify-result', new ApiError(0, 'list at least one user id'))
    route = 'send-notification-to-users'
  }
  $('notify-send').disabled = true
  try {
    const data = await api(route, body)
    showResult('notify-result', null, `Sent${summary(data)}.`)
  } catch (error) {
    showResult('notify-result', error)
  } finally {
    $('notify-send').disabled = false
  }
}

async function pushToChannel() {
  let data
  try {
    data = JSON.parse($('channel-data').value || 'null')
  } catch (error) {
    return showResult('channel-result', new ApiError(0, `data is not valid JSON: ${error.message}`))
  }
  try {
    const answer = await api('send-to-channel', { channel: $('channel-name').value.trim(), type: $('channel-type').value.trim(), data })
    showResult('channel-result', null, `Pushed${summary(answer)}.`)
  } catch (error) {
    showResult('channel-result', error)
  }
}

/** The delivery summary as " (key: value, …)", whatever fields the server reports. */
function summary(data) {
  if (!data || typeof data !== 'object') return ''
  const parts = Object.entries(data).filter(([, value]) => typeof value !== 'object').map(([key, value]) => `${key.replace(/_/g, ' ')}: ${value}`)
  return parts.length ? ` (${parts.join(', ')})` : ''
}

init()
