import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type restify from 'restify';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Viewer } from '../../domain/index.js';
import { bearerToken, type Identity } from '../../identity/index.js';
import type { Logger } from '../../log.js';
import type { StreamHub } from '../../realtime/index.js';
import { toHttpError } from '../errors.js';
import { API_BASE } from './registrar.js';

const STREAM_PATH = `${API_BASE}/stream`;
/** Keeps idle connections alive through proxies, and finds dead ones. */
const PING_MS = 25_000;

/**
 * The live stream's WebSocket: `GET /api/v1/stream?since=<seq>` with the token in the Authorization
 * header or `?access_token=` (browsers cannot set headers on a WebSocket). Kept to this one function
 * so it can move under a shared upgrade dispatcher without touching the stream itself.
 */
export function mountLiveStream(
  server: restify.Server,
  opts: { identity: Identity; hub: StreamHub; viewerOf(agentId: string): Promise<Viewer>; log: Logger },
): { close(): void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 });
  const sockets = new Set<WebSocket>();

  const refuse = (socket: Duplex, status: number, code: string, message: string) => {
    const body = JSON.stringify({ error: { code, message } });
    const reason =
      status === 400
        ? 'Bad Request'
        : status === 401
          ? 'Unauthorized'
          : status === 403
            ? 'Forbidden'
            : 'Error';
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://local');
    if (url.pathname !== STREAM_PATH) return; // another part's upgrade (e.g. Direct Line)
    const sinceText = url.searchParams.get('since');
    if (sinceText !== null && !/^\d{1,15}$/.test(sinceText)) {
      refuse(socket, 400, 'invalid_request', 'query.since: must be a whole number (the last seq you saw)');
      return;
    }
    const token = bearerToken(req.headers.authorization) ?? url.searchParams.get('access_token') ?? undefined;
    opts.identity
      .authenticate(token)
      .then((caller) => opts.viewerOf(caller.agentId))
      .then(
        (viewer) =>
          wss.handleUpgrade(req, socket, head, (ws) =>
            serve(ws, viewer, sinceText === null ? undefined : Number(sinceText)),
          ),
        (err: unknown) => {
          const http = toHttpError(err);
          if (!http) opts.log.error('live stream sign-in failed', { err });
          refuse(
            socket,
            http?.status ?? 500,
            http?.code ?? 'internal',
            http?.message ?? 'Something went wrong',
          );
        },
      );
  };

  function serve(ws: WebSocket, viewer: Viewer, since: number | undefined): void {
    sockets.add(ws);
    const connection = opts.hub.open(viewer, since, (frame) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
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

  server.server.on('upgrade', onUpgrade);
  return {
    close() {
      server.server.off('upgrade', onUpgrade);
      for (const ws of sockets) ws.terminate();
      wss.close();
    },
  };
}
