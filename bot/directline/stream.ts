import type restify from 'restify';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EdgeGuards } from '../guards.js';
import { ChannelError } from '../http.js';
import type { Logger } from '../../services/log.js';
import type { DirectLineActivityLog } from './activity-log.js';
import { readWatermark, type DirectLineChannel } from './channel.js';
import { dlErrors } from './errors.js';
import type { DirectLineLimits } from './limits.js';
import { bearer } from './tokens.js';

const PREFIX = '/v3/directline/conversations/';
const STREAM_PATH = /^\/v3\/directline\/conversations\/([^/]+)\/stream$/;

/** Close codes: 1000 normal (the conversation ended), 4001 the token expired (the client reconnects). */
const ENDED = 1000;
const TOKEN_EXPIRED = 4001;

/**
 * The Direct Line WebSocket stream on the same HTTP server: `GET <streamUrl>` upgrades, then the
 * server pushes ActivitySets `{ activities, watermark }`. Each socket remembers the last watermark it
 * sent and sends "everything after it": the activity just stored when it is the very next one and no
 * read is under way, otherwise from the store, so the backlog on connect and live activities arrive
 * exactly once, in order. What the client sends (empty-string pings) is ignored.
 *
 * A stream lives as long as its token and its conversation: it closes when the token expires (the
 * client reconnects with the refreshed one, as Direct Line clients do) and, after its last
 * activities, when the conversation ends. Few streams per token and per conversation.
 *
 * And as long as its client answers: every `streamHeartbeatMs` each stream gets a WebSocket ping and
 * an empty text frame, and one that has not answered the last ping by then is dropped. A phone that
 * lost its signal sends no close, and its socket would otherwise look open until the token expired:
 * dropped, it closes like any other, and the customer's absence counts from then.
 */
export function mountDirectLineStream(
  server: restify.Server,
  channel: DirectLineChannel,
  log: DirectLineActivityLog,
  logger: Logger,
  guards: { edge: EdgeGuards; limits: DirectLineLimits; now: () => Date },
): { close(): void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 });
  const sockets = new Set<WebSocket>();
  const byToken = new Map<string, number>();
  const byConversation = new Map<string, Set<WebSocket>>();
  const opensPerIp = guards.edge.limit('streams opened from this address', guards.limits.streamOpensPerIp);
  /** Streams pinged whose pong has not come yet. */
  const unanswered = new Set<WebSocket>();
  const heartbeat = setInterval(() => {
    for (const ws of sockets) {
      if (unanswered.has(ws)) {
        ws.terminate();
        continue;
      }
      if (ws.readyState !== ws.OPEN) continue;
      unanswered.add(ws);
      ws.ping();
      // As Azure's streams do: Direct Line clients skip it, and the widget hears that the stream
      // lives even where a browser keeps pings from the page.
      ws.send('');
    }
  }, guards.limits.streamHeartbeatMs);
  heartbeat.unref();

  const unregister = guards.edge.registerUpgrade(server.server, PREFIX, async (req, socket, head, url) => {
    const match = STREAM_PATH.exec(url.pathname);
    if (!match) throw new ChannelError(404, 'not_found', 'No such stream');
    // Browsers say which page opened the socket (WebSockets know no CORS): only allowed ones.
    if (guards.edge.origins.refuses(req.headers)) throw dlErrors.originNotAllowed();
    await opensPerIp.take(guards.edge.clientIp(req));
    let conversationId: string;
    try {
      conversationId = decodeURIComponent(match[1] ?? '');
    } catch {
      throw new ChannelError(400, 'bad_request', 'The conversation id is not validly escaped');
    }
    const token = url.searchParams.get('t') ?? bearer(req.headers.authorization) ?? undefined;
    const claims = await channel.authorize(token, conversationId);
    const key = token as string;
    const watermark = readWatermark(url.searchParams.get('watermark')) ?? 0;
    const open = byConversation.get(conversationId)?.size ?? 0;
    if (
      (byToken.get(key) ?? 0) >= guards.limits.streamsPerToken ||
      open >= guards.limits.streamsPerConversation
    )
      throw dlErrors.tooManyStreams();
    // From the check to the count nothing awaits (ws completes the handshake synchronously), so
    // parallel opens cannot all slip under the caps.
    wss.handleUpgrade(req, socket, head, (ws) => {
      byToken.set(key, (byToken.get(key) ?? 0) + 1);
      serve(ws, conversationId, watermark, {
        key,
        expiresAt: claims.expiresAt,
      });
    });
  });

  function release(key: string): void {
    const n = (byToken.get(key) ?? 1) - 1;
    if (n <= 0) byToken.delete(key);
    else byToken.set(key, n);
  }

  const stopEnded = log.onEnded((conversationId) => {
    for (const ws of byConversation.get(conversationId) ?? []) (ws as StreamSocket).finish?.();
  });
  // One subscription for every socket: an activity reaches its own conversation's sockets only.
  const stopStored = log.subscribe((conversationId, seq, json) => {
    for (const ws of byConversation.get(conversationId) ?? []) (ws as StreamSocket).stored?.(seq, json);
  });
  const stopSettled = channel.turns.onSettled((conversationId) => {
    for (const ws of byConversation.get(conversationId) ?? []) (ws as StreamSocket).flush?.();
  });

  type StreamSocket = WebSocket & {
    finish?: () => void;
    stored?: (seq: number, json: string) => void;
    flush?: () => void;
  };

  function serve(
    ws: StreamSocket,
    conversationId: string,
    watermark: number,
    token: { key: string; expiresAt: number },
  ): void {
    sockets.add(ws);
    channel.streamOpened(conversationId);
    const peers = byConversation.get(conversationId) ?? new Set<WebSocket>();
    peers.add(ws);
    byConversation.set(conversationId, peers);
    let sent = watermark;
    let chain: Promise<void> = Promise.resolve();
    /** Reads queued or running: while any is, new activities wait their turn behind them. */
    let reading = 0;
    /**
     * While a customer's activity is on its way through the bot, an activity waits for the next one
     * and they go out in one frame: the customer's own message with the bot's answer, most often.
     * A frame is a write to the socket (a system call) and a wake-up of the client; the customer has
     * their activity's id from the POST already. It waits no longer than the turn, or `limits.streamHoldMs`.
     */
    let held: { seq: number; json: string; timer: NodeJS.Timeout } | null = null;
    const flush = () => {
      if (!held) return;
      clearTimeout(held.timer);
      const { seq, json } = held;
      held = null;
      if (ws.readyState === ws.OPEN) ws.send(activitySet([json], seq));
    };
    ws.flush = flush;
    const pump = () => {
      // What is held was counted as sent: it goes out before anything read after it.
      flush();
      reading += 1;
      chain = chain
        .then(async () => {
          // A long backlog comes in pages; keep sending until the socket has caught up.
          while (ws.readyState === ws.OPEN) {
            const page = await log.since(conversationId, sent);
            // Empty, it still says where the conversation ends: a watermark past it is brought back,
            // or every activity stored up to it would be skipped.
            sent = page.watermark;
            if (page.activities.length === 0) return;
            ws.send(JSON.stringify({ activities: page.activities, watermark: String(page.watermark) }));
          }
        })
        .catch((err: unknown) =>
          logger.error('direct line stream send failed', { err, channelConversationId: conversationId }),
        )
        .finally(() => {
          reading -= 1;
        });
    };
    // The conversation ended: what was stored before the end still goes out, then the stream closes.
    let ended = false;
    ws.finish = () => {
      ended = true;
      pump();
      chain = chain.then(() => ws.close(ENDED, 'conversation ended'));
    };
    const expiry = setTimeout(
      () => ws.close(TOKEN_EXPIRED, 'token expired'),
      Math.max(0, token.expiresAt - guards.now().getTime()),
    );
    expiry.unref();
    ws.stored = (seq, json) => {
      // The next activity with nothing ahead of it goes out as stored, without reading the log back
      // (a read costs more the longer the conversation); anything else catches up from the log.
      if (reading === 0 && seq === sent + 1 && ws.readyState === ws.OPEN) {
        sent = seq;
        if (held) {
          const first = held;
          clearTimeout(first.timer);
          held = null;
          ws.send(activitySet([first.json, json], seq));
        } else if (channel.turns.underway(conversationId)) {
          held = { seq, json, timer: setTimeout(flush, guards.limits.streamHoldMs) };
        } else ws.send(activitySet([json], seq));
      } else pump();
    };
    ws.on('message', () => {
      // Clients ping with empty strings; nothing a client sends on the stream means anything.
    });
    ws.on('pong', () => unanswered.delete(ws));
    ws.on('close', () => {
      clearTimeout(expiry);
      unanswered.delete(ws);
      if (held) clearTimeout(held.timer);
      held = null;
      sockets.delete(ws);
      peers.delete(ws);
      if (peers.size === 0) byConversation.delete(conversationId);
      release(token.key);
      // Closed because the conversation ended: nobody is left to wait for.
      channel.streamClosed(conversationId, { watch: !ended });
    });
    ws.on('error', () => ws.terminate());
    pump();
  }

  return {
    close() {
      clearInterval(heartbeat);
      unregister();
      stopEnded();
      stopStored();
      stopSettled();
      for (const ws of sockets) ws.terminate();
      wss.close();
    },
  };
}

/** An ActivitySet of activities already stored as JSON text; the watermark is the last one's. */
function activitySet(jsons: string[], lastSeq: number): string {
  return `{"activities":[${jsons.join(',')}],"watermark":"${lastSeq}"}`;
}
