/**
 * Keeps one conversation's live link: the WebSocket stream (polling when sockets fail), reconnects
 * that resume from the last watermark, token refresh before expiry, and the protocol's status
 * rules (403 → refresh once, 404 → the conversation is gone).
 */
import type { Activity } from './activity.js';
import { DirectLineError, type DirectLineApi } from './directline.js';

export type LinkStatus = 'connecting' | 'online' | 'reconnecting';
export type EndReason = 'ended' | 'expired';

export interface ConnectionOptions {
  api: DirectLineApi;
  conversationId: string;
  token: string;
  tokenExpiresAt: number;
  watermark?: string;
  onActivities(activities: Activity[], watermark?: string): void;
  onToken(token: string, expiresAt: number): void;
  onStatus(status: LinkStatus): void;
  onEnded(reason: EndReason): void;
  WebSocketImpl?: typeof WebSocket | undefined;
  now?: () => number;
  random?: () => number;
}

const POLL_MS = 1000;
/** The official client refreshes about every 15 minutes. */
const MAX_REFRESH_MS = 15 * 60_000;
/** Sockets that fail before opening this many times in a row mean a proxy or a CSP blocks them. */
const SOCKET_FAILURES_BEFORE_POLLING = 2;
/**
 * A socket not open by then counts as failed: a proxy that swallows the upgrade leaves it connecting
 * with no event at all, and the customer would wait on "Connecting…" for good.
 */
const SOCKET_OPEN_TIMEOUT_MS = 10_000;
/**
 * The server sends an empty frame every 15 s on an open stream (docs/direct-line.md). A stream
 * silent for this long is dead however it still looks — a carrier gateway that forgot the
 * connection, a network hand-over — and neither end will ever hear a close: it is dropped and
 * opened again from the watermark. Against a server that sends no heartbeat this reconnects once
 * in a while, which the watermark makes harmless.
 */
export const STREAM_SILENCE_MS = 40_000;
/** Quieter than one heartbeat: after the page was asleep or away, the stream may be dead. */
export const STREAM_QUIET_MS = 20_000;
/**
 * How long a message may take to go, from when the customer sent it (the server's 429s and lost
 * answers waited out, messages before it in the queue included), before they are told it failed.
 */
export const MAX_SEND_WAIT_MS = 90_000;
const NOT_WAITED = new Set(['typing', 'endOfConversation']);
/** Waits before sending again an activity whose answer never came: 1 s, doubling, at most 10 s. */
const UNANSWERED_FIRST_WAIT_MS = 1_000;
const UNANSWERED_MAX_WAIT_MS = 10_000;

/**
 * Failures after which the activity may or may not be stored: no answer came (status 0: offline,
 * connection dropped), or a gateway or the server said it could not finish.
 */
const MAY_HAVE_BEEN_STORED = new Set([0, 502, 503, 504]);
const mayHaveBeenStored = (err: unknown) =>
  err instanceof DirectLineError && MAY_HAVE_BEEN_STORED.has(err.status);

export class Connection {
  private token: string;
  private watermark: string | undefined;
  private ws: WebSocket | null = null;
  private timers = new Set<ReturnType<typeof setTimeout>>();
  private socketFailures = 0;
  private polling = false;
  private closed = false;
  private readonly now: () => number;
  private readonly random: () => number;
  private resolveReady!: () => void;
  /** Resolves once activities can flow: the socket is open or polling has begun. */
  readonly ready = new Promise<void>((r) => (this.resolveReady = r));

  constructor(private readonly o: ConnectionOptions) {
    this.token = o.token;
    this.watermark = o.watermark;
    this.now = o.now ?? Date.now;
    this.random = o.random ?? Math.random;
  }

  /**
   * With a `streamUrl` from a fresh start, opens it; otherwise catches up on what was missed (the
   * page was away) and asks for a new stream from the latest watermark.
   */
  async open(streamUrl?: string): Promise<void> {
    this.scheduleRefresh(this.o.tokenExpiresAt);
    this.o.onStatus('connecting');
    if (streamUrl && this.o.WebSocketImpl) return this.openSocket(streamUrl);
    if (!streamUrl) {
      const caughtUp = await this.guard(() => this.fetchActivities());
      if (!caughtUp) return;
    }
    await this.reconnectStream();
  }

  /**
   * Posts an activity. A 429 with `Retry-After` (too many messages in this chat, or from this
   * address: an office behind one proxy at a busy hour) is waited out and the activity sent again —
   * the server stored nothing — for up to a minute and a half in all.
   * An activity carrying its client id (`channelData.clientActivityId`) is also sent again when the
   * answer never came or said the server could not finish (a dropped connection, 502, 503, 504):
   * it may have been stored, and the server stores a repeated id once (docs/direct-line.md).
   * Messages and events go one after another, so one waiting holds back those sent after it and
   * the chat keeps its order. Typing is not worth the wait, and a customer who leaves is not kept
   * waiting to: both go at once.
   */
  send(activity: Activity): Promise<string> {
    if (NOT_WAITED.has(activity.type)) return this.post(activity);
    const repeatable = typeof activity.channelData?.clientActivityId === 'string';
    const deadline = this.now() + MAX_SEND_WAIT_MS;
    return this.inTurn(() => this.postWaitingOut(() => this.post(activity), repeatable, deadline));
  }

  /**
   * Sends a file with its caption (`activity`), in turn with messages so the chat keeps its order.
   * It is waited out and sent again as a message is: the server keeps a repeated upload's files
   * once, by the activity's client id.
   */
  upload(file: File, activity: Activity): Promise<string> {
    const userId = activity.from?.id ?? '';
    const deadline = this.now() + MAX_SEND_WAIT_MS;
    return this.inTurn(() =>
      this.postWaitingOut(
        () => this.withToken((t) => this.o.api.upload(this.o.conversationId, t, userId, file, activity)),
        typeof activity.channelData?.clientActivityId === 'string',
        deadline,
      ),
    );
  }

  private inTurn(run: () => Promise<string>): Promise<string> {
    const sent = this.sending.then(run);
    this.sending = sent.catch(() => undefined);
    return sent;
  }

  /** The last message or event sent (or being sent): the next one goes after it. */
  private sending: Promise<unknown> = Promise.resolve();

  private post(activity: Activity): Promise<string> {
    return this.withToken((t) => this.o.api.postActivity(this.o.conversationId, t, activity));
  }

  /**
   * `deadline`: when the customer sent it. A message behind one that waits has its own 90 s, and is
   * tried at least once however long it queued: the ones before it may have failed for a reason of
   * their own.
   */
  private async postWaitingOut(
    post: () => Promise<string>,
    repeatable: boolean,
    deadline: number,
  ): Promise<string> {
    let unanswered = 0;
    for (;;) {
      try {
        return await post();
      } catch (err) {
        let asked: number | undefined;
        if (err instanceof DirectLineError && err.status === 429) asked = err.retryAfterMs;
        else if (repeatable && mayHaveBeenStored(err))
          asked =
            (err as DirectLineError).retryAfterMs ??
            Math.min(UNANSWERED_FIRST_WAIT_MS * 2 ** unanswered++, UNANSWERED_MAX_WAIT_MS);
        if (asked === undefined) throw err;
        // The server's rule as the bot keeps it for Bot Connector calls (bot/teams/retry.ts, which
        // browser code may not import): never earlier than asked, up to a tenth later.
        const delay = asked + asked * 0.1 * this.random();
        if (this.now() + delay > deadline) throw err;
        await new Promise((resolve) => setTimeout(resolve, delay));
        if (this.closed) throw err;
      }
    }
  }

  /**
   * The page has reason to doubt the stream: the device came back `online` (sockets opened before
   * may be dead), or the page is shown again after sleeping (`ifQuietFor`: only when the stream was
   * quiet that long). Catches up from the watermark at once rather than at the next timeout.
   */
  resync(ifQuietFor?: number): void {
    if (this.closed) return;
    if (ifQuietFor !== undefined && this.now() - this.lastFrameAt < ifQuietFor) return;
    if (this.polling) return void this.guard(() => this.fetchActivities());
    if (this.ws) return this.dropSocket?.(0);
    // Between sockets, waiting to reconnect: no need to wait any longer.
    if (this.reconnectTimer) {
      this.cancel(this.reconnectTimer);
      this.reconnectTimer = null;
      void this.reconnectStream();
    }
  }

  /** When the stream last said anything (an ActivitySet or a heartbeat), or opened. */
  private lastFrameAt = 0;
  /** Ends the open socket and reconnects after `delay` ms; null with no socket open. */
  private dropSocket: ((delay: number) => void) | null = null;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private reconnectIn(delay: number): void {
    this.cancel(this.reconnectTimer ?? undefined);
    this.reconnectTimer = this.later(() => {
      this.reconnectTimer = null;
      void this.reconnectStream();
    }, delay);
  }

  close(): void {
    this.closed = true;
    this.resolveReady(); // nobody waits forever on a connection that is gone
    this.timers.forEach(clearTimeout);
    this.timers.clear();
    const ws = this.ws;
    this.ws = null;
    ws?.close();
  }

  private async reconnectStream(): Promise<void> {
    if (this.closed) return;
    if (this.polling || !this.o.WebSocketImpl) return this.startPolling();
    const info = await this.guard(() =>
      this.withToken((t) => this.o.api.reconnect(this.o.conversationId, t, this.watermark)),
    );
    if (!info) return;
    if (info.token && info.token !== this.token) this.setToken(info.token, info.expires_in);
    if (info.streamUrl) this.openSocket(info.streamUrl);
    else this.startPolling();
  }

  private openSocket(url: string): void {
    const Impl = this.o.WebSocketImpl;
    if (this.closed || !Impl) return;
    let opened = false;
    let ws: WebSocket;
    try {
      ws = new Impl(this.o.api.streamUrl(url));
    } catch {
      // a malformed URL or a blocked scheme: polling still works over HTTP
      return this.startPolling();
    }
    this.ws = ws;
    /**
     * The socket is done for, however that was said. Chromium reports a socket its page's CSP
     * refuses (`connect-src`) with `error` alone, never `close`; so each of `error`, `close` and the
     * open timeout ends it, once, and leads to a reconnect or, failing that, to polling.
     */
    let silence: ReturnType<typeof setTimeout> | undefined;
    const heard = () => {
      this.lastFrameAt = this.now();
      this.cancel(silence);
      silence = this.later(() => failed(0), STREAM_SILENCE_MS);
    };
    /** `delay`: how soon to reconnect; by default the official client's wait (3–15 s), sooner after a first failure. */
    const failed = (delay?: number) => {
      this.cancel(openTimer);
      this.cancel(silence);
      if (this.closed || this.ws !== ws) return;
      this.ws = null;
      this.dropSocket = null;
      ws.onopen = ws.onmessage = ws.onerror = ws.onclose = null;
      ws.close();
      if (!opened) this.socketFailures++;
      this.o.onStatus('reconnecting');
      if (this.socketFailures >= SOCKET_FAILURES_BEFORE_POLLING) return void this.startPolling();
      this.reconnectIn(delay ?? (opened ? 3000 + Math.random() * 2000 : 500));
    };
    this.dropSocket = failed;
    const openTimer = this.later(() => failed(), SOCKET_OPEN_TIMEOUT_MS);
    ws.onopen = () => {
      opened = true;
      this.cancel(openTimer);
      heard();
      this.socketFailures = 0;
      this.o.onStatus('online');
      // Whether a stream replays what was sent before it opened (a bot's greeting right after
      // start, anything during a reconnect) is up to the server; one fetch closes that gap, and
      // duplicates are dropped by activity id downstream.
      void this.guard(() => this.fetchActivities()).finally(() => this.resolveReady());
    };
    ws.onmessage = (ev: MessageEvent) => {
      heard();
      // The server's heartbeats are empty; only ActivitySets carry data.
      if (typeof ev.data !== 'string' || !ev.data.trim()) return;
      try {
        const set = JSON.parse(ev.data) as { activities?: Activity[]; watermark?: string };
        this.deliver(set.activities ?? [], set.watermark);
      } catch {
        // not an ActivitySet: ignore rather than drop the stream
      }
    };
    ws.onerror = () => failed();
    ws.onclose = () => failed();
  }

  private startPolling(): void {
    if (this.closed || this.polling) return;
    this.polling = true;
    const tick = async () => {
      if (this.closed) return;
      const ok = await this.guard(() => this.fetchActivities());
      if (ok) {
        this.o.onStatus('online');
        this.resolveReady();
      }
      if (!this.closed) this.later(tick, ok ? POLL_MS : 3000);
    };
    void tick();
  }

  private async fetchActivities(): Promise<true> {
    const set = await this.withToken((t) =>
      this.o.api.getActivities(this.o.conversationId, t, this.watermark),
    );
    this.deliver(set.activities ?? [], set.watermark);
    return true;
  }

  private deliver(activities: Activity[], watermark?: string): void {
    if (watermark !== undefined && watermark !== null) this.watermark = String(watermark);
    if (activities.length || watermark !== undefined) this.o.onActivities(activities, this.watermark);
  }

  /** 403 means the token expired: refresh once and retry; a second 403 is final. */
  private async withToken<T>(call: (token: string) => Promise<T>): Promise<T> {
    try {
      return await call(this.token);
    } catch (err) {
      if (!(err instanceof DirectLineError) || err.status !== 403) throw err;
      await this.refresh();
      return call(this.token);
    }
  }

  /** Runs a call, turning the protocol's terminal statuses into `onEnded`; null on failure. */
  private async guard<T>(call: () => Promise<T>): Promise<T | null> {
    try {
      return await call();
    } catch (err) {
      if (this.closed) return null;
      const status = err instanceof DirectLineError ? err.status : 0;
      if (status === 404 || status === 403 || status === 401) {
        this.close();
        this.o.onEnded(status === 404 ? 'ended' : 'expired');
        return null;
      }
      this.o.onStatus('reconnecting');
      if (!this.polling) this.reconnectIn(3000);
      return null;
    }
  }

  private async refresh(): Promise<void> {
    const info = await this.o.api.refreshToken(this.token);
    this.setToken(info.token, info.expires_in);
  }

  private setToken(token: string, expiresIn?: number): void {
    this.token = token;
    const expiresAt = this.now() + (expiresIn ?? 1800) * 1000;
    this.o.onToken(token, expiresAt);
    this.scheduleRefresh(expiresAt);
  }

  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  private scheduleRefresh(expiresAt: number): void {
    if (this.refreshTimer) this.cancel(this.refreshTimer);
    const due = Math.min(Math.max(expiresAt - this.now() - 60_000, 5_000), MAX_REFRESH_MS);
    this.refreshTimer = this.later(() => void this.guard(() => this.refresh()), due);
  }

  private cancel(timer: ReturnType<typeof setTimeout> | undefined): void {
    if (timer === undefined) return;
    clearTimeout(timer);
    this.timers.delete(timer);
  }

  private later(fn: () => void, ms: number): ReturnType<typeof setTimeout> {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
    return t;
  }
}
