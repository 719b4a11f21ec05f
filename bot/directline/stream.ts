import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type restify from 'restify';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../../services/log.js';
import type { DirectLineActivityLog } from './activity-log.js';
import { parseWatermark, type DirectLineChannel } from './channel.js';
import { bearer } from './tokens.js';

const STREAM_PATH = /^\/v3\/directline\/conversations\/([^/]+)\/stream$/;

/**
 * The Direct Line WebSocket stream on the same HTTP server: `GET <streamUrl>` upgrades, then the
 * server pushes ActivitySets `{ activities, watermark }`. Each socket remembers the last watermark it
 * sent and always sends "everything after it" from the store, so the backlog on connect and live
 * activities arrive exactly once, in order. What the client sends (empty-string pings) is ignored.
 */
export function mountDirectLineStream(
  server: restify.Server,
  channel: DirectLineChannel,
  log: DirectLineActivityLog,
  logger: Logger,
): { close(): void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const sockets = new Set<WebSocket>();

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://local');
    const match = STREAM_PATH.exec(url.pathname);
    if (!match) return; // someone else's upgrade (e.g. the tab's live stream)
    const conversationId = decodeURIComponent(match[1] ?? '');
    const token = url.searchParams.get('t') ?? bearer(req.headers.authorization);
    channel.authorize(token ?? undefined, conversationId).then(
      () =>
        wss.handleUpgrade(req, socket, head, (ws) =>
          serve(ws, conversationId, parseWatermark(url.searchParams.get('watermark') ?? undefined)),
        ),
      (err: { status?: number; message?: string }) => {
        const status = err.status ?? 500;
        socket.end(
          `HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : status === 403 ? 'Forbidden' : 'Error'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
        );
      },
    );
  };

  function serve(ws: WebSocket, conversationId: string, watermark: number): void {
    sockets.add(ws);
    let sent = watermark;
    let chain: Promise<void> = Promise.resolve();
    const pump = () => {
      chain = chain
        .then(async () => {
          // A long backlog comes in pages; keep sending until the socket has caught up.
          while (ws.readyState === ws.OPEN) {
            const page = await log.since(conversationId, sent);
            if (page.activities.length === 0) return;
            sent = page.watermark;
            ws.send(JSON.stringify({ activities: page.activities, watermark: String(page.watermark) }));
          }
        })
        .catch((err: unknown) =>
          logger.error('direct line stream send failed', { err, channelConversationId: conversationId }),
        );
    };
    const unsubscribe = log.subscribe((id) => {
      if (id === conversationId) pump();
    });
    ws.on('message', () => {
      // Clients ping with empty strings; nothing a client sends on the stream means anything.
    });
    ws.on('close', () => {
      unsubscribe();
      sockets.delete(ws);
    });
    ws.on('error', () => ws.terminate());
    pump();
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
