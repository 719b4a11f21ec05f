// The live stream (GET /api/v1/stream, a WebSocket): one per signed-in user. It remembers the last
// seq it saw and reconnects with `since=<seq>`, so the server replays exactly what was missed; a
// frame below that seq, or one already applied (a replay racing a live frame), is dropped. Frames
// of one event share its seq (an accept is `offer.closed` and `conversation.assigned`), and typing
// frames carry the current seq: those are not repeats.
import type { StreamEvent } from './types.js';

export type StreamStatus = 'connecting' | 'live' | 'reconnecting' | 'closed';
type Listener = (e: StreamEvent) => void;

export interface StreamOptions {
  token: string;
  /** ws(s)://host — defaults to the page's own server. */
  origin?: string;
  /** Starts after this seq (e.g. 0 for everything the server still keeps for me). */
  since?: number;
  onStatus?: (s: StreamStatus) => void;
  /**
   * The server turned the stream away: closed it for an expired token or a removed user (4001,
   * 4003), or refused the connection before it opened (a browser hides the upgrade's 401 behind
   * 1006). The caller checks its credentials; the stream keeps retrying meanwhile.
   */
  onRefused?: () => void;
  /** For tests: the WebSocket implementation. */
  WebSocketImpl?: typeof WebSocket;
  /** Backoff bounds in ms. */
  minDelay?: number;
  maxDelay?: number;
}

export function streamUrl(origin: string, token: string, since: number | undefined): string {
  const q = new URLSearchParams();
  if (since !== undefined) q.set('since', String(since));
  q.set('access_token', token);
  return `${origin}/api/v1/stream?${q.toString()}`;
}

export class LiveStream {
  private ws: WebSocket | null = null;
  private listeners = new Set<Listener>();
  private lastSeq: number | undefined;
  /**
   * The kinds of frame applied at `lastSeq`: one event makes at most one frame of a kind for a user,
   * so another kind at the same seq is new and the same kind a repeat (rebuilt, maybe not byte-equal).
   */
  private atLastSeq = new Set<string>();
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  status: StreamStatus = 'connecting';

  constructor(private readonly opts: StreamOptions) {
    this.lastSeq = opts.since;
  }

  get seq(): number | undefined {
    return this.lastSeq;
  }

  start(): void {
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.ws?.close();
    this.ws = null;
    this.setStatus('closed');
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Applies one frame: in order, once. Public so the resume rule is testable without a socket. */
  deliver(e: StreamEvent): boolean {
    // Typing is never stored nor replayed: each frame is news, whatever seq it carries.
    if (typeof e.seq === 'number' && e.type !== 'typing') {
      if (this.lastSeq !== undefined && e.seq < this.lastSeq) return false;
      const frame = `${e.type} ${String(e.conversationId ?? '')}`;
      if (e.seq === this.lastSeq) {
        if (this.atLastSeq.has(frame)) return false;
      } else {
        this.lastSeq = e.seq;
        this.atLastSeq.clear();
      }
      this.atLastSeq.add(frame);
    }
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        // One view's bug must not stop the others from getting the event.
        console.error('stream listener failed', err);
      }
    }
    return true;
  }

  private open(): void {
    const origin = this.opts.origin ?? `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
    const Impl = this.opts.WebSocketImpl ?? WebSocket;
    const ws = new Impl(streamUrl(origin, this.opts.token, this.lastSeq));
    this.ws = ws;
    this.setStatus(this.attempt === 0 ? 'connecting' : 'reconnecting');
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this.attempt = 0;
      this.setStatus('live');
    };
    ws.onmessage = (m: MessageEvent) => {
      try {
        this.deliver(JSON.parse(String(m.data)) as StreamEvent);
      } catch (err) {
        console.error('unreadable stream frame', err);
      }
    };
    ws.onclose = (e: CloseEvent) => {
      if (this.ws !== ws || this.stopped) return;
      this.ws = null;
      this.scheduleReconnect();
      if (!opened || e.code === 4001 || e.code === 4003) this.opts.onRefused?.();
    };
  }

  private scheduleReconnect(): void {
    const min = this.opts.minDelay ?? 500;
    const max = this.opts.maxDelay ?? 15_000;
    const delay = Math.min(max, min * 2 ** this.attempt) * (0.75 + Math.random() * 0.5);
    this.attempt++;
    this.setStatus('reconnecting');
    this.timer = setTimeout(() => this.open(), delay);
  }

  private setStatus(s: StreamStatus): void {
    this.status = s;
    this.opts.onStatus?.(s);
  }
}
