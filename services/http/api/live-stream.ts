import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type restify from 'restify';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Viewer } from '../../domain/index.js';
import { bearerToken, type Identity } from '../../identity/index.js';
import type { Logger } from '../../log.js';
import { frameBytes, type StreamConnection, type StreamHub } from '../../realtime/index.js';
import { HttpError, sendError } from '../errors.js';
import { ANY_HOST, type HostCheck } from '../hosts.js';
import { clientIp, RateLimit, tooMany } from '../rate-limit.js';
import { registerUpgrade } from '../upgrade.js';
import { DEFAULT_API_LIMITS, type ApiLimits } from './limits.js';
import { API_BASE } from './registrar.js';

const STREAM_PATH = `${API_BASE}/stream`;
/** Keeps idle connections alive through proxies, and finds dead ones. */
const PING_MS = 25_000;

/**
 * Close codes (docs/agent-api.md, "Live stream"). 4001: the token expired — reconnect with a fresh
 * one (Direct Line's stream uses the same code). 4003: the user is no longer an agent here. A client
 * that cannot tell them apart loses nothing: reconnecting with the old token is refused with 401.
 */
export const STREAM_CLOSE = { tokenExpired: 4001, userRemoved: 4003 } as const;

/** setTimeout's longest delay (about 24.8 days); a token living longer is checked again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export type StreamLimits = Pick<
  ApiLimits,
  'streamsPerUser' | 'streamsPerAddress' | 'streamOpensPerAddress' | 'viewerRecheckMs'
>;

interface Open {
  ws: WebSocket;
  connection: StreamConnection;
  viewer: Viewer;
  end(code: number, reason: string): void;
}

/**
 * The live stream's WebSocket: `GET /api/v1/stream?since=<seq>` with the token in the Authorization
 * header or `?access_token=` (browsers cannot set headers on a WebSocket), routed to by the server's
 * one upgrade owner (../upgrade.ts).
 *
 * A stream lives as long as its token (closed with 4001 when it expires) and sees what its user may
 * see now: every `viewerRecheckMs` the users with open streams are read again, in one read, and a
 * change of roles or queues takes effect on their streams; a removed user's streams close (4003).
 */
export function mountLiveStream(
  server: restify.Server,
  opts: {
    identity: Identity;
    hub: StreamHub;
    viewerOf(agentId: string): Promise<Viewer>;
    /** The users of these ids as they are now; one missing was removed. */
    viewersOf(agentIds: string[]): Promise<Viewer[]>;
    log: Logger;
    now: () => Date;
    /** The names this server answers to (local mode); default: any. */
    hosts?: HostCheck;
    limits?: StreamLimits;
    /** The caller's address (behind trusted proxies, the one they name); default: the socket's. */
    clientIp?: (req: IncomingMessage) => string;
  },
): { close(): void } {
  const limits = opts.limits ?? DEFAULT_API_LIMITS;
  const hosts = opts.hosts ?? ANY_HOST;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 });
  const byUser = new Map<string, Set<Open>>();
  const byAddress = new Map<string, number>();
  const opensPerAddress = new RateLimit('streams opened from this address', limits.streamOpensPerAddress);

  // Refusals are HttpErrors: the shared upgrade router answers them with their status and closes.
  const onUpgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer, url: URL) => {
    if (url.pathname !== STREAM_PATH) throw new HttpError(404, 'not_found', `No stream at ${url.pathname}`);
    if (!hosts.allows(req.headers.host)) {
      throw new HttpError(403, 'host_not_allowed', 'This server does not answer to that name');
    }
    const sinceText = url.searchParams.get('since');
    if (sinceText !== null && !/^\d{1,15}$/.test(sinceText)) {
      throw new HttpError(
        400,
        'invalid_request',
        'query.since: must be a whole number (the last seq you saw)',
      );
    }
    const address = (opts.clientIp ?? clientIp)(req);
    await opensPerAddress.take(address);
    const token = bearerToken(req.headers.authorization) ?? url.searchParams.get('access_token') ?? undefined;
    const caller = await opts.identity.authenticate(token);
    const viewer = await opts.viewerOf(caller.agentId);
    // From the check to the count nothing awaits (ws completes the handshake synchronously), so
    // parallel opens cannot all slip under the caps. A dropped stream the server has not noticed
    // yet still counts: the client's next try, after Retry-After, finds it gone.
    if ((byUser.get(caller.agentId)?.size ?? 0) >= limits.streamsPerUser)
      throw tooMany(`${limits.streamsPerUser} live streams open for this user`, PING_MS / 1000);
    if ((byAddress.get(address) ?? 0) >= limits.streamsPerAddress)
      throw tooMany(`${limits.streamsPerAddress} live streams open from this address`, PING_MS / 1000);
    wss.handleUpgrade(req, socket, head, (ws) =>
      serve(ws, viewer, address, caller.expiresAt, sinceText === null ? undefined : Number(sinceText)),
    );
  };

  function serve(
    ws: WebSocket,
    viewer: Viewer,
    address: string,
    expiresAt: Date,
    since: number | undefined,
  ): void {
    const connection = opts.hub.open(viewer, since, (frame) => {
      // Frames shared by many streams are encoded once; sent as text frames all the same.
      if (ws.readyState === ws.OPEN) ws.send(frameBytes(frame), { binary: false });
    });
    const open: Open = { ws, connection, viewer, end };
    // Nothing more is sent from the moment it is decided, not once the client answers the close.
    function end(code: number, reason: string): void {
      connection.close();
      ws.close(code, reason);
    }
    let mine = byUser.get(viewer.agentId);
    if (!mine) byUser.set(viewer.agentId, (mine = new Set()));
    mine.add(open);
    byAddress.set(address, (byAddress.get(address) ?? 0) + 1);
    startRechecks();

    let expiry: NodeJS.Timeout | undefined;
    const expireAt = () => {
      const left = expiresAt.getTime() - opts.now().getTime();
      if (left <= 0) return end(STREAM_CLOSE.tokenExpired, 'token expired');
      expiry = setTimeout(expireAt, Math.min(left, MAX_TIMER_MS));
      expiry.unref();
    };
    expireAt();
    let alive = true;
    ws.on('pong', () => (alive = true));
    const ping = setInterval(() => {
      if (!alive) return ws.terminate();
      alive = false;
      ws.ping();
    }, PING_MS);
    ping.unref();
    ws.on('message', () => {
      // The stream is one-way; what a client sends means nothing.
    });
    ws.on('close', () => {
      clearInterval(ping);
      clearTimeout(expiry);
      connection.close();
      const set = byUser.get(open.viewer.agentId);
      if (set?.delete(open) && set.size === 0) byUser.delete(open.viewer.agentId);
      const n = (byAddress.get(address) ?? 1) - 1;
      if (n <= 0) byAddress.delete(address);
      else byAddress.set(address, n);
      if (byUser.size === 0) stopRechecks();
    });
    ws.on('error', () => ws.terminate());
  }

  // One timer for every stream, one read for every user with a stream open.
  let recheck: NodeJS.Timeout | undefined;
  let rechecking = false;
  function startRechecks(): void {
    if (recheck || limits.viewerRecheckMs <= 0) return;
    recheck = setInterval(() => void recheckViewers(), limits.viewerRecheckMs);
    recheck.unref();
  }
  function stopRechecks(): void {
    clearInterval(recheck);
    recheck = undefined;
  }
  async function recheckViewers(): Promise<void> {
    if (rechecking || byUser.size === 0) return;
    rechecking = true;
    try {
      const ids = [...byUser.keys()];
      const now = new Map((await opts.viewersOf(ids)).map((v) => [v.agentId, v]));
      for (const id of ids) {
        const viewer = now.get(id);
        for (const open of byUser.get(id) ?? []) {
          if (!viewer) open.end(STREAM_CLOSE.userRemoved, 'no longer an agent here');
          else if (!sameView(open.viewer, viewer)) {
            open.viewer = viewer;
            open.connection.update(viewer);
          }
        }
      }
    } catch (err) {
      // The store is down: the streams keep what they had and the next round tries again.
      opts.log.error('live stream could not re-read its users', { err, part: 'realtime' });
    } finally {
      rechecking = false;
    }
  }

  const unregister = registerUpgrade(server.server, STREAM_PATH, onUpgrade);
  // A plain GET (a proxy that dropped the upgrade headers, a browser tab on the URL) is told what is
  // wanted rather than that nothing is here: 426 names the protocol to upgrade to (RFC 9110 §15.5.22).
  server.get(STREAM_PATH, async (_req: restify.Request, res: restify.Response) => {
    res.setHeader('Upgrade', 'websocket');
    res.setHeader('Connection', 'Upgrade');
    sendError(
      res,
      new HttpError(
        426,
        'upgrade_required',
        'The live stream is a WebSocket: open it with a WebSocket upgrade (Connection: Upgrade, Upgrade: websocket)',
      ),
      opts.log,
    );
  });
  return {
    close() {
      unregister();
      stopRechecks();
      for (const set of byUser.values()) for (const open of set) open.ws.terminate();
      wss.close();
    },
  };
}

function sameView(a: Viewer, b: Viewer): boolean {
  const same = (x: readonly string[], y: readonly string[]) =>
    x.length === y.length && x.every((v) => y.includes(v));
  return same(a.roles, b.roles) && same(a.queueIds, b.queueIds);
}
