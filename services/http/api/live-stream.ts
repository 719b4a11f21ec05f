import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type restify from 'restify';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Viewer } from '../../domain/index.js';
import { bearerToken, type Identity } from '../../identity/index.js';
import type { Logger } from '../../log.js';
import { frameBytes, type StreamHub } from '../../realtime/index.js';
import { HttpError } from '../errors.js';
import { registerUpgrade } from '../upgrade.js';
import { API_BASE } from './registrar.js';

const STREAM_PATH = `${API_BASE}/stream`;
/** Keeps idle connections alive through proxies, and finds dead ones. */
const PING_MS = 25_000;

/**
 * The live stream's WebSocket: `GET /api/v1/stream?since=<seq>` with the token in the Authorization
 * header or `?access_token=` (browsers cannot set headers on a WebSocket), routed to by the server's
 * one upgrade owner (../upgrade.ts).
 */
export function mountLiveStream(
  server: restify.Server,
  opts: { identity: Identity; hub: StreamHub; viewerOf(agentId: string): Promise<Viewer>; log: Logger },
): { close(): void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 });
  const sockets = new Set<WebSocket>();

  // Refusals are HttpErrors: the shared upgrade router answers them with their status and closes.
  const onUpgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer, url: URL) => {
    if (url.pathname !== STREAM_PATH) throw new HttpError(404, 'not_found', `No stream at ${url.pathname}`);
    const sinceText = url.searchParams.get('since');
    if (sinceText !== null && !/^\d{1,15}$/.test(sinceText)) {
      throw new HttpError(
        400,
        'invalid_request',
        'query.since: must be a whole number (the last seq you saw)',
      );
    }
    const token = bearerToken(req.headers.authorization) ?? url.searchParams.get('access_token') ?? undefined;
    const caller = await opts.identity.authenticate(token);
    const viewer = await opts.viewerOf(caller.agentId);
    wss.handleUpgrade(req, socket, head, (ws) =>
      serve(ws, viewer, sinceText === null ? undefined : Number(sinceText)),
    );
  };

  function serve(ws: WebSocket, viewer: Viewer, since: number | undefined): void {
    sockets.add(ws);
    const connection = opts.hub.open(viewer, since, (frame) => {
      // Frames shared by many streams are encoded once; sent as text frames all the same.
      if (ws.readyState === ws.OPEN) ws.send(frameBytes(frame), { binary: false });
    });
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
      connection.close();
      sockets.delete(ws);
    });
    ws.on('error', () => ws.terminate());
  }

  const unregister = registerUpgrade(server.server, STREAM_PATH, onUpgrade);
  return {
    close() {
      unregister();
      for (const ws of sockets) ws.terminate();
      wss.close();
    },
  };
}
