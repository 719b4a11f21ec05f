import { DirectLine, type Activity } from 'botframework-directlinejs';
import WebSocket from 'ws';
import { installWebSocket, nodeAjax } from '../../bot/support/directline-client.js';
import { TEST_DIRECT_LINE_SECRET } from '../../support/server.js';

// Clients of the real server for the agent API suites: an agent or supervisor over HTTP and the
// live stream, and a customer on the official Direct Line client. Every wait polls a condition.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers are read loosely in tests
export type Json = any;

export async function until<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const got = await probe();
    if (got !== undefined && got !== false) return got;
    if (Date.now() - start > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface ApiClient {
  token: string;
  agentId: string;
  call(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: Json; headers: Headers }>;
}

export async function call(
  base: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
  raw?: string,
): Promise<{ status: number; body: Json; headers: Headers }> {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined || raw !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await res.text();
  return { status: res.status, body: parseJson(text), headers: res.headers };
}

function parseJson(text: string): Json {
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    // Not JSON (a bug we want to see in the assertion): keep the raw text.
    return { text };
  }
}

export async function signIn(base: string, agentId: string): Promise<ApiClient> {
  const res = await call(base, 'POST', '/dev/sign-in', undefined, { agentId });
  if (res.status !== 200)
    throw new Error(`sign-in as ${agentId} failed: ${res.status} ${JSON.stringify(res.body)}`);
  const token = res.body.token as string;
  return { token, agentId, call: (method, path, body) => call(base, method, path, token, body) };
}

export interface LiveStream {
  frames: Json[];
  waitFor(what: string, test: (f: Json) => boolean, timeoutMs?: number): Promise<Json>;
  lastSeq(): number;
  close(): Promise<void>;
}

export async function openStream(base: string, token: string, since?: number): Promise<LiveStream> {
  const url = `${base.replace(/^http/, 'ws')}/api/v1/stream?access_token=${encodeURIComponent(token)}${
    since !== undefined ? `&since=${since}` : ''
  }`;
  const ws = new WebSocket(url);
  const frames: Json[] = [];
  ws.on('message', (data) => frames.push(JSON.parse(String(data))));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    frames,
    waitFor: (what, test, timeoutMs) => until(`stream frame: ${what}`, () => frames.find(test), timeoutMs),
    lastSeq: () => frames.reduce((m, f) => Math.max(m, f.seq as number), since ?? 0),
    close: () =>
      new Promise<void>((resolve) => {
        if (ws.readyState === ws.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close();
      }),
  };
}

export interface Customer {
  seen: Activity[];
  post(activity: Partial<Activity>): Promise<string>;
  waitFor(what: string, test: (a: Activity) => boolean, timeoutMs?: number): Promise<Activity>;
  /** The conversation and the token the client holds now, for calls the client does not make. */
  session(): { conversationId: string; token: string; userId: string };
  end(): void;
}

/** A customer on the official Direct Line client over the WebSocket stream. */
export async function customerOnDirectLine(base: string, userId: string, name: string): Promise<Customer> {
  installWebSocket();
  const generated =
    (await // A site's server asks for the visitor's token with the Direct Line secret, naming its visitor.
    (
      await fetch(`${base}/v3/directline/tokens/generate`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${TEST_DIRECT_LINE_SECRET}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ user: { id: userId, name } }),
      })
    ).json()) as {
      token: string;
    };
  const dl = new DirectLine({
    domain: `${base}/v3/directline`,
    token: generated.token,
    webSocket: true,
    ajax: nodeAjax,
  } as ConstructorParameters<typeof DirectLine>[0]);
  const seen: Activity[] = [];
  dl.activity$.subscribe({ next: (a) => seen.push(a), error: () => {} });
  return {
    seen,
    post: (activity) =>
      new Promise((resolve, reject) => {
        dl.postActivity({ from: { id: userId, name }, ...activity } as Activity).subscribe({
          next: resolve,
          error: reject,
        });
      }),
    waitFor: (what, test, timeoutMs) => until(`customer sees ${what}`, () => seen.find(test), timeoutMs),
    // Public fields of the client, though its typings leave them out.
    session: () => {
      const { conversationId, token } = dl as unknown as { conversationId: string; token: string };
      return { conversationId, token, userId };
    },
    end: () => dl.end(),
  };
}

export const fromBot = (userId: string) => (a: Activity) => a.from.id !== userId;
