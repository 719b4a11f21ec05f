import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AdaptiveCard } from '../../../bot/cards/index.js';

// A local stand-in for the Bot Connector service Teams runs: the v3 conversations/activities routes a
// bot posts to, updates and deletes through, answering with activity ids as the real one does. Tests
// read what arrived and can make it throttle (429 with Retry-After) or fail. It also plays the
// customer's OneDrive: the download address of a file they attach, and the upload session a file
// consent answer hands the bot.

export interface SentActivity {
  type?: string;
  text?: string;
  attachments?: Array<{ contentType: string; content: unknown }>;
  [key: string]: unknown;
}

export interface ReceivedCall {
  method: 'POST' | 'PUT' | 'DELETE';
  conversationId: string;
  /** The id the connector gave (POST) or the one updated (PUT). */
  activityId: string;
  /** Set when the bot replied to an activity (POST …/activities/{replyToId}). */
  replyToId?: string;
  activity: SentActivity;
  at: number;
}

export interface FakeConnector {
  url: string;
  calls: ReceivedCall[];
  /** Every answer the connector gave, throttled ones included. */
  attempts: Array<{ method: string; path: string; status: number; at: number }>;
  /** The next `count` requests get this status (and Retry-After when given). */
  failNext(count: number, status: number, retryAfter?: string): void;
  /**
   * Serves `bytes` as the connector serves a picture pasted in Teams
   * (`GET /v3/attachments/{id}/views/original`); answers its URL.
   */
  attachment(id: string, bytes: Buffer, contentType: string): string;
  /** The attachment downloads asked of it, with their Authorization header. */
  attachmentGets: Array<{ id: string; authorization?: string }>;
  /** Serves `bytes` at a OneDrive-like download address (a file attached with the paperclip); answers it. */
  oneDriveFile(id: string, bytes: Buffer): string;
  /** A OneDrive upload session's address: what is PUT there lands in `uploads`. */
  uploadSession(name: string): string;
  uploads: Array<{ name: string; bytes: Buffer; contentRange?: string }>;
  /** What arrived in one Teams conversation, in order. */
  inConversation(conversationId: string): ReceivedCall[];
  /** Adaptive Cards posted (or updated) in a conversation, newest state per activity id. */
  cards(conversationId: string): Map<string, AdaptiveCard>;
  close(): Promise<void>;
}

export async function startFakeConnector(): Promise<FakeConnector> {
  const calls: ReceivedCall[] = [];
  const attempts: FakeConnector['attempts'] = [];
  const failures: Array<{ status: number; retryAfter?: string }> = [];
  const attachments = new Map<string, { bytes: Buffer; contentType: string }>();
  const attachmentGets: FakeConnector['attachmentGets'] = [];
  const oneDrive = new Map<string, Buffer>();
  const uploads: FakeConnector['uploads'] = [];
  let next = 1;

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const at = Date.now();
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      attempts.push({ method: req.method ?? '', path, status, at });
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const failure = failures.shift();
    if (failure) {
      send(
        failure.status,
        { error: { code: 'Throttled', message: 'Too many requests' } },
        failure.retryAfter ? { 'Retry-After': failure.retryAfter } : {},
      );
      return;
    }
    const picture = /^\/v3\/attachments\/([^/]+)\/views\/original$/.exec(path);
    if (picture && req.method === 'GET') {
      const id = decodeURIComponent(picture[1]!);
      attachmentGets.push({ id, authorization: req.headers.authorization });
      const file = attachments.get(id);
      if (!file) return send(404, { error: { code: 'NotFound', message: id } });
      attempts.push({ method: 'GET', path, status: 200, at });
      res.writeHead(200, { 'Content-Type': file.contentType, 'Content-Length': String(file.bytes.length) });
      res.end(file.bytes);
      return;
    }
    const drive = /^\/onedrive\/(download|upload)\/([^/]+)$/.exec(path);
    if (drive) {
      const name = decodeURIComponent(drive[2]!);
      attempts.push({ method: req.method ?? '', path, status: 200, at });
      if (drive[1] === 'upload' && req.method === 'PUT') {
        const contentRange = req.headers['content-range'];
        uploads.push({ name, bytes: Buffer.concat(chunks), ...(contentRange ? { contentRange } : {}) });
        return send(201, { id: `drive-item-${uploads.length}`, name });
      }
      const file = drive[1] === 'download' && req.method === 'GET' ? oneDrive.get(name) : undefined;
      if (!file) return send(404, { error: { code: 'itemNotFound', message: name } });
      res.writeHead(200, {
        'Content-Type': 'application/octet-stream',
        'Content-Length': String(file.length),
      });
      res.end(file);
      return;
    }
    const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
    if (!m || (req.method !== 'POST' && req.method !== 'PUT' && req.method !== 'DELETE')) {
      send(404, { error: { code: 'NotFound', message: `${req.method} ${path}` } });
      return;
    }
    const conversationId = decodeURIComponent(m[1]!);
    if (req.method === 'DELETE') {
      const activityId = m[2] ? decodeURIComponent(m[2]) : '';
      if (!calls.some((c) => c.activityId === activityId)) {
        return send(404, { error: { code: 'ActivityNotFound', message: activityId } });
      }
      calls.push({ method: 'DELETE', conversationId, activityId, activity: {}, at });
      res.writeHead(200);
      res.end();
      return;
    }
    let activity: SentActivity;
    try {
      activity = JSON.parse(Buffer.concat(chunks).toString('utf8')) as SentActivity;
    } catch {
      send(400, { error: { code: 'BadArgument', message: 'not JSON' } });
      return;
    }
    if (req.method === 'PUT') {
      if (!m[2]) return send(400, { error: { code: 'BadArgument', message: 'activity id missing' } });
      const activityId = decodeURIComponent(m[2]);
      if (!calls.some((c) => c.activityId === activityId)) {
        return send(404, { error: { code: 'ActivityNotFound', message: activityId } });
      }
      calls.push({ method: 'PUT', conversationId, activityId, activity, at });
      return send(200, { id: activityId });
    }
    const activityId = `activity-${next++}`;
    calls.push({
      method: 'POST',
      conversationId,
      activityId,
      replyToId: m[2] ? decodeURIComponent(m[2]) : undefined,
      activity,
      at,
    });
    send(200, { id: activityId });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    attempts,
    attachment(id, bytes, contentType) {
      attachments.set(id, { bytes, contentType });
      return `http://127.0.0.1:${port}/v3/attachments/${encodeURIComponent(id)}/views/original`;
    },
    attachmentGets,
    oneDriveFile(id, bytes) {
      oneDrive.set(id, bytes);
      return `http://127.0.0.1:${port}/onedrive/download/${encodeURIComponent(id)}`;
    },
    uploadSession: (name) => `http://127.0.0.1:${port}/onedrive/upload/${encodeURIComponent(name)}`,
    uploads,
    failNext(count, status, retryAfter) {
      for (let i = 0; i < count; i++) failures.push({ status, retryAfter });
    },
    inConversation: (conversationId) => calls.filter((c) => c.conversationId === conversationId),
    cards(conversationId) {
      const out = new Map<string, AdaptiveCard>();
      for (const c of calls) {
        if (c.conversationId !== conversationId) continue;
        const card = (c.activity.attachments ?? []).find(
          (a) => a.contentType === 'application/vnd.microsoft.card.adaptive',
        );
        if (card) out.set(c.activityId, card.content as AdaptiveCard);
      }
      return out;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
