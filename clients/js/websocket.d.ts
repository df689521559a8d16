// Types for herald-websocket (websocket.js).

export type Status = 'closed' | 'connecting' | 'open' | 'reconnecting'

export declare const Status: Readonly<{
  CLOSED: 'closed'
  CONNECTING: 'connecting'
  OPEN: 'open'
  RECONNECTING: 'reconnecting'
}>

export declare const CloseCode: Readonly<{
  NORMAL: 1000
  GOING_AWAY: 1001
  ABNORMAL: 1006
  TOO_BIG: 1009
  UNAUTHORIZED: 4001
  KICKED: 4002
  HEARTBEAT_TIMEOUT: 4003
  POLICY: 4008
}>

/** A frame from the server: `{type, data}`, plus `channel` for channel messages and any other top-level fields. */
export interface HeraldMessage<T = any> {
  type: string
  data: T
  channel?: string
  [field: string]: unknown
}

/** What the client passes to onClose: the socket's CloseEvent, or a synthetic one when it dropped a dead link. */
export interface CloseInfo {
  code: number
  reason: string
  wasClean?: boolean
}

export interface StatusInfo {
  status: Status
  previous: Status
  /** Close code that caused the change, when there was one. */
  code?: number
  reason?: string
  /** The close code was 4001 or 4002: the client will not reconnect by itself. */
  terminal?: boolean
  /** maxReconnectAttempts were used up. */
  gaveUp?: boolean
  /** Reconnect attempt number (1-based) and its backoff delay in ms, when status is `reconnecting`. */
  attempt?: number
  delay?: number
}

export interface ResubscribedInfo {
  /** Channels joined again after the reconnect. */
  channels: string[]
  /** Channels the server refused (or did not confirm within pongTimeout). */
  failed: string[]
}

/** Where a stream stands: the epoch and offset of its last message, and whether the replay was complete. */
export interface StreamRecovery {
  /** null when the history could not be read (cluster mode with Redis down). */
  epoch: string | null
  offset: number | null
  /** false: messages after the presented position could not all be replayed. */
  recovered: boolean
  /** false: the channel keeps no history (history.channel.rules), so nothing could be replayed. */
  history?: boolean
  /** Error code when the channel was refused, or 'timeout' when no answer came. */
  error?: string
}

/** The `recovery` event, after every reconnect (and after a first connect with saved positions). */
export interface RecoveryInfo {
  /** true only when every stream was replayed completely: nothing was missed. Otherwise reload state. */
  recovered: boolean
  /** The user's own stream and the all-users stream. */
  streams: { user?: StreamRecovery; all?: StreamRecovery }
  /** Per channel joined through the client. */
  channels: Record<string, StreamRecovery>
}

/** A stream position the client keeps. */
export interface Position {
  epoch: string
  offset: number
}

export interface WebSocketLike {
  readonly readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  onopen: ((event: any) => void) | null
  onmessage: ((event: { data: any }) => void) | null
  onerror: ((event: any) => void) | null
  onclose: ((event: CloseInfo) => void) | null
}

export interface ClientOptions {
  onOpen?: (event: unknown) => void
  onMessage?: (message: HeraldMessage) => void
  onError?: (error: unknown) => void
  onClose?: (event: CloseInfo) => void
  onStatusChange?: (status: Status, info: StatusInfo) => void
  /** Default: `ws(s)://<page host>/ws` in a browser; required in Node.js. Relative URLs resolve against the page. */
  url?: string
  /** WebSocket constructor, e.g. `ws` in Node.js. Default: globalThis.WebSocket. */
  WebSocket?: new (url: string) => WebSocketLike
  /** ms between heartbeats. Default: the server's `heartbeat_interval`, else 30000. */
  heartbeatInterval?: number
  /** ms to wait for any frame after a heartbeat before the link counts as dead. Default 10000. */
  pongTimeout?: number
  /** ms from opening a socket to the server's `connected` frame. Default 10000. */
  connectTimeout?: number
  /** Default 5. `Infinity`: never give up. `0`: never reconnect. */
  maxReconnectAttempts?: number
  /** ms, default 1000. */
  reconnectBaseDelay?: number
  /** ms, default 30000. */
  reconnectMaxDelay?: number
  /** Frames send() keeps while not open (oldest dropped first). Default 50; 0 disables queueing. */
  maxQueueSize?: number
  /** Random source for the backoff jitter, in [0, 1). */
  random?: () => number
  /** Present stream positions on every connection and get missed messages replayed. Default true. */
  recover?: boolean
  /** Keep positions across page reloads: true uses sessionStorage; or pass a Storage-like object. Default false. */
  persistPositions?: boolean | Pick<Storage, 'getItem' | 'setItem'>
}

export type Handler<T = any> = (data: T, message: HeraldMessage<T>) => void

export declare class WebSocketClient {
  constructor(userId: string | number | null, token: string, options?: ClientOptions)
  readonly userId: string | number | null
  token: string
  readonly status: Status
  /** Channels joined through send('subscribe') and not left; rejoined after every reconnect. */
  readonly channels: ReadonlySet<string>
  /** The last position seen per stream; presented on the next connection. */
  readonly positions: { user: Position | null; all: Position | null; channels: Record<string, Position> }
  connect(): this
  disconnect(): this
  /** true when written to an open connection; false when queued, dropped, or (subscribe/unsubscribe) deferred. */
  send(type: string, data?: unknown): boolean
  subscribe(channel: string): boolean
  unsubscribe(channel: string): boolean
  on(type: 'status', handler: (status: Status, info: StatusInfo) => void): () => void
  on(type: 'resubscribed', handler: (info: ResubscribedInfo) => void): () => void
  on(type: 'recovery', handler: (info: RecoveryInfo) => void): () => void
  on<T = any>(type: string, handler: Handler<T>): () => void
  off(type: string, handler?: (...args: any[]) => void): this
}

export interface BackoffOptions {
  baseDelay?: number
  maxDelay?: number
  random?: () => number
}

/** Delay in ms before reconnect attempt `attempt` (0-based): uniform in [0, min(maxDelay, baseDelay * 2^attempt)). */
export declare function backoffDelay(attempt: number, options?: BackoffOptions): number

/** The shared client: repeated calls return the same instance (a different user id replaces it). */
export declare function getWebSocket(userId: string | number | null, token: string, options?: ClientOptions): WebSocketClient

/** Disconnects and forgets the shared client. */
export declare function closeWebSocket(): void

declare const _default: {
  getWebSocket: typeof getWebSocket
  closeWebSocket: typeof closeWebSocket
  WebSocketClient: typeof WebSocketClient
  backoffDelay: typeof backoffDelay
  CloseCode: typeof CloseCode
  Status: typeof Status
}
export default _default
