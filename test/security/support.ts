import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import type { DocumentStore } from '../../services/store/index.js';
import { TEST_DIRECT_LINE_SECRET } from '../support/server.js';

// What every attack test checks afterwards: the server still answers, and the store holds exactly
// what it held before the attack.

/** Collections an attacker could have written to. */
const WATCHED = [
  'directline_conversations',
  'directline_activities',
  'conversations',
  'messages',
  'customers',
  'events',
  'customer_bot_sessions',
  'bot_conversation_bindings',
];

export async function storeSnapshot(store: DocumentStore): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const name of WATCHED) out[name] = await store.collection(name).count({});
  return out;
}

export async function expectHealthy(base: string): Promise<void> {
  const res = await fetch(`${base}/api/health`);
  expect(res.status).toBe(200);
  expect(((await res.json()) as { status: string }).status).toBe('ok');
}

export interface RawAnswer {
  /** The status of the first response line, or null when the server answered nothing. */
  status: number | null;
  /** Everything the server sent before closing (or before `waitMs`). */
  text: string;
  /** Whether the server closed the connection. */
  closed: boolean;
}

/**
 * Writes bytes on a plain TCP connection (what fetch cannot send: malformed upgrades, slow headers)
 * and collects the answer until the server closes or `waitMs` passes. `chunks` are written one after
 * another, `gapMs` apart (a slow client).
 */
export function raw(
  base: string,
  chunks: Array<string | Buffer>,
  opts: { waitMs?: number; gapMs?: number } = {},
): Promise<RawAnswer> {
  const { hostname, port } = new URL(base);
  const waitMs = opts.waitMs ?? 5000;
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let text = '';
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : null, text, closed });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.on('data', (b: Buffer) => (text += b.toString('latin1')));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.on('connect', async () => {
      for (const [i, chunk] of chunks.entries()) {
        if (done) return;
        if (i > 0 && opts.gapMs) await new Promise((r) => setTimeout(r, opts.gapMs));
        socket.write(chunk);
      }
    });
  });
}

/** A WebSocket upgrade request for `path`, as a client sends it. */
export function upgradeRequest(path: string, extra = ''): string {
  return (
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
    `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extra}\r\n`
  );
}

/** An attacker's server on this machine: it records every request the bot is tricked into sending. */
export async function startListener(): Promise<{
  url: string;
  hits: IncomingMessage[];
  close(): Promise<void>;
}> {
  const hits: IncomingMessage[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(req);
    req.resume();
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"id":"x"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface StartedConversation {
  conversationId: string;
  token: string;
  streamUrl: string;
}

/** A customer's Direct Line conversation, started the way a site's server and its page do. */
export async function startCustomer(base: string, userId?: string): Promise<StartedConversation> {
  const gen = await fetch(`${base}/v3/directline/tokens/generate`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${TEST_DIRECT_LINE_SECRET}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(userId ? { user: { id: userId } } : {}),
  });
  expect(gen.status).toBe(200);
  const { token } = (await gen.json()) as { token: string };
  const started = await fetch(`${base}/v3/directline/conversations`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(started.status).toBe(201);
  return (await started.json()) as StartedConversation;
}

export async function post(
  base: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{
  status: number;
  json: Record<string, unknown> & { error?: { code: string; message: string } };
}> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    // not JSON: the status says enough
  }
  return { status: res.status, json };
}
