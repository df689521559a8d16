'use strict';

// Benchmark peer: the subset of Herald's contract (SPEC.md) that the load tool
// exercises, written the way a Node.js team would on the `ws` package.
// One process, one event loop, default `ws` options (no permessage-deflate).

const http = require('http');
const crypto = require('crypto');
const { WebSocketServer } = require('ws');
const jwt = require('jsonwebtoken');

const PORT = Number(process.env.HERALD_PORT || 5200);
const HOST = process.env.HERALD_HOST || '127.0.0.1';
const JWT_SECRET = process.env.HERALD_JWT_SECRET;
const API_KEY = process.env.HERALD_API_KEY;
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_FRAME_BYTES = 64 * 1024;
const HEARTBEAT_INTERVAL_SECONDS = 30;
const CHANNEL_NAME = /^[A-Za-z0-9_\-:.@/]{1,128}$/;

if (!JWT_SECRET || !API_KEY) {
  console.error('HERALD_JWT_SECRET and HERALD_API_KEY must be set');
  process.exit(2);
}

const users = new Map();    // user id (string) -> Set<WebSocket>
const channels = new Map(); // channel name -> Set<WebSocket>

// Ids made only of digits are written as JSON numbers (SPEC §2).
function wireUserId(id) {
  return /^[0-9]{1,15}$/.test(id) ? Number(id) : id;
}

function nowSeconds() {
  return Math.floor(Date.now() / 1000);
}

function addTo(map, key, ws) {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(ws);
}

function removeFrom(map, key, ws) {
  const set = map.get(key);
  if (set && set.delete(ws) && set.size === 0) map.delete(key);
}

// Serialise once; every recipient gets the same Buffer as a text frame.
function encode(message) {
  return Buffer.from(JSON.stringify(message));
}

function deliver(sockets, frame) {
  let delivered = 0;
  if (!sockets) return delivered;
  for (const ws of sockets) {
    if (ws.readyState === ws.OPEN) {
      ws.send(frame, { binary: false });
      delivered++;
    }
  }
  return delivered;
}

function sendError(ws, code, message) {
  ws.send(JSON.stringify({ type: 'error', data: { code, message } }));
}

function authenticate(userId, token) {
  if (!token) return null;
  try {
    const claims = jwt.verify(token, JWT_SECRET, { algorithms: ['HS256'] });
    const sub = claims.sub === undefined ? '' : String(claims.sub);
    if (!sub || (userId !== null && userId !== sub)) return null;
    return sub;
  } catch (e) {
    return null;
  }
}

// ---- WebSocket side -------------------------------------------------------

const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

function onConnection(ws, userId) {
  ws.userId = userId;
  ws.channels = new Set();
  addTo(users, userId, ws);
  ws.send(JSON.stringify({
    type: 'connected',
    data: {
      user_id: wireUserId(userId),
      connection_id: crypto.randomUUID(),
      heartbeat_interval: HEARTBEAT_INTERVAL_SECONDS,
    },
  }));
  ws.on('message', (raw, isBinary) => onFrame(ws, raw, isBinary));
  ws.on('close', () => {
    removeFrom(users, userId, ws);
    for (const channel of ws.channels) removeFrom(channels, channel, ws);
  });
  ws.on('error', () => ws.terminate());
}

function onFrame(ws, raw, isBinary) {
  if (isBinary) return sendError(ws, 'bad_frame', 'binary frames are not supported');
  let frame;
  try {
    frame = JSON.parse(raw);
  } catch (e) {
    return sendError(ws, 'bad_json', 'frame is not valid JSON');
  }
  if (frame === null || typeof frame !== 'object') {
    return sendError(ws, 'bad_json', 'frame must be a JSON object');
  }
  const data = frame.data && typeof frame.data === 'object' ? frame.data : {};
  switch (frame.type) {
    case 'ping':
      return ws.send(JSON.stringify({ type: 'pong', data: { timestamp: nowSeconds() } }));
    case 'heartbeat':
      return ws.send(JSON.stringify({ type: 'heartbeat_ack', data: { timestamp: nowSeconds() } }));
    case 'subscribe':
    case 'unsubscribe':
      return onSubscription(ws, frame.type, data.channel);
    case 'chat':
      return onChat(ws, data);
    default:
      return sendError(ws, 'unknown_type', `unknown type: ${JSON.stringify(frame.type)}`);
  }
}

function onSubscription(ws, type, channel) {
  if (typeof channel !== 'string' || !CHANNEL_NAME.test(channel)) {
    return sendError(ws, 'bad_channel', `channel must match [A-Za-z0-9_-:.@/]{1,128}: ${JSON.stringify(channel)}`);
  }
  if (channel.startsWith('private-')) {
    return sendError(ws, 'forbidden', `not allowed to join ${channel}`);
  }
  if (type === 'subscribe') {
    ws.channels.add(channel);
    addTo(channels, channel, ws);
    ws.send(JSON.stringify({ type: 'subscribed', data: { channel } }));
  } else {
    ws.channels.delete(channel);
    removeFrom(channels, channel, ws);
    ws.send(JSON.stringify({ type: 'unsubscribed', data: { channel } }));
  }
}

function onChat(ws, data) {
  if (data.to_user_id === undefined || data.to_user_id === null || data.content === undefined) {
    return sendError(ws, 'missing_field', 'chat needs to_user_id and content');
  }
  const to = String(data.to_user_id);
  deliver(users.get(to), encode({
    type: 'chat',
    data: {
      from_user_id: wireUserId(ws.userId),
      to_user_id: wireUserId(to),
      content: data.content,
      timestamp: nowSeconds(),
    },
  }));
}

// ---- Admin HTTP API -------------------------------------------------------

function reply(res, code, message, data) {
  const body = JSON.stringify({ code, message, data: data === undefined ? null : data });
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function authorized(req) {
  const auth = req.headers.authorization;
  if (auth && auth.startsWith('Bearer ') && auth.slice(7) === API_KEY) return true;
  return req.headers['x-api-key'] === API_KEY;
}

function readJson(req, res, handler) {
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      reply(res, 413, 'body exceeds 1 MiB');
      req.destroy();
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (res.writableEnded) return;
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch (e) {
      return reply(res, 400, 'body is not valid JSON');
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      return reply(res, 400, 'body must be a JSON object');
    }
    handler(body);
  });
}

function requireString(res, body, field) {
  if (typeof body[field] !== 'string' || body[field] === '') {
    reply(res, 422, `${field} is required and must be a non-empty string`);
    return false;
  }
  return true;
}

const routes = {
  'GET /admin/websocket/online-count': (req, res) => {
    reply(res, 200, 'success', { online_count: users.size });
  },
  'POST /admin/websocket/send-to-channel': (req, res) => readJson(req, res, (body) => {
    if (!requireString(res, body, 'channel') || !requireString(res, body, 'type')) return;
    const subscribers = channels.get(body.channel);
    const delivered = deliver(subscribers, encode({ type: body.type, channel: body.channel, data: body.data }));
    reply(res, 200, 'success', { channel: body.channel, delivered });
  }),
  'POST /admin/websocket/broadcast': (req, res) => readJson(req, res, (body) => {
    if (!requireString(res, body, 'type')) return;
    const frame = encode({ type: body.type, data: body.data });
    let delivered = 0;
    for (const sockets of users.values()) delivered += deliver(sockets, frame);
    reply(res, 200, 'success', { delivered, online_count: users.size });
  }),
};

const server = http.createServer((req, res) => {
  const path = req.url.split('?', 1)[0];
  if (req.method === 'GET' && path === '/health') return reply(res, 200, 'success', { status: 'ok' });
  if (!path.startsWith('/admin/websocket/')) return reply(res, 404, `no route for ${path}`);
  if (!authorized(req)) return reply(res, 401, 'missing or wrong API key');
  const route = routes[`${req.method} ${path}`];
  if (route) return route(req, res);
  const known = Object.keys(routes).some((key) => key.endsWith(` ${path}`));
  return reply(res, known ? 405 : 404, known ? `${req.method} not allowed on ${path}` : `no route for ${path}`);
});

server.on('upgrade', (req, socket, head) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname !== '/ws') {
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
    return;
  }
  let token = url.searchParams.get('token');
  const auth = req.headers.authorization;
  if (!token && auth && auth.startsWith('Bearer ')) token = auth.slice(7);
  const userId = authenticate(url.searchParams.get('user_id'), token);
  wss.handleUpgrade(req, socket, head, (ws) => {
    // Browsers cannot read an HTTP status, so a bad token is a 4001 close after the upgrade.
    if (userId === null) return ws.close(4001, 'unauthorized');
    onConnection(ws, userId);
  });
});

server.listen(PORT, HOST, () => {
  console.log(`listening on ws://${HOST}:${PORT}/ws`);
});

function shutdown() {
  for (const ws of wss.clients) ws.close(1001, 'server shutting down');
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
