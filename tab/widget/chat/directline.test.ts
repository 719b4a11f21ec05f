import { describe, expect, it } from 'vitest';
import type { Activity } from './activity.js';
import { Connection } from './connection.js';
import { DirectLineApi, DirectLineError } from './directline.js';

interface Seen {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A fetch that records each request and answers from the list, in order. */
function fakeFetch(answers: Response[]) {
  const seen: Seen[] = [];
  const fetchFn = (async (url: string, init: RequestInit) => {
    seen.push({
      url,
      method: init.method ?? 'GET',
      headers: init.headers as Record<string, string>,
      body: init.body,
    });
    const next = answers.shift();
    if (!next) throw new Error(`unexpected ${init.method} ${url}`);
    return next;
  }) as unknown as typeof fetch;
  return { api: new DirectLineApi('https://cc.test/v3/directline', fetchFn), seen };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const png = () => new File([new Uint8Array([137, 80, 78, 71])], 'router lights.png', { type: 'image/png' });
const caption: Activity = { type: 'message', from: { id: 'dl_me' }, text: 'Amber light' };

describe('Direct Line upload', () => {
  it('posts the file and its caption as multipart, with the token, and answers the id', async () => {
    const { api, seen } = fakeFetch([json(200, { id: 'c1|0000007' })]);
    expect(await api.upload('c1', 'tok', 'dl_me', png(), caption)).toBe('c1|0000007');
    const [req] = seen;
    expect(req!.method).toBe('POST');
    expect(req!.url).toBe('https://cc.test/v3/directline/conversations/c1/upload?userId=dl_me');
    expect(req!.headers).toEqual({ Authorization: 'Bearer tok' });
    const form = req!.body as FormData;
    const file = form.get('file') as File;
    expect([file.name, file.type, file.size]).toEqual(['router lights.png', 'image/png', 4]);
    const activity = form.get('activity') as Blob;
    expect(activity.type).toBe('application/vnd.microsoft.activity');
    expect(JSON.parse(await activity.text())).toEqual(caption);
  });

  it("carries the server's words when it refuses the file", async () => {
    const { api } = fakeFetch([
      json(413, { error: { code: 'directline.file_too_large', message: 'Files may be at most 4 MB' } }),
    ]);
    const err = (await api
      .upload('c1', 'tok', 'dl_me', png(), caption)
      .catch((e: unknown) => e)) as DirectLineError;
    expect(err).toBeInstanceOf(DirectLineError);
    expect([err.status, err.serverMessage]).toEqual([413, 'Files may be at most 4 MB']);
    // A body that is not the channel's JSON (a proxy's page) leaves only the status.
    const proxy = fakeFetch([new Response('<h1>Bad gateway</h1>', { status: 502 })]);
    const gateway = (await proxy.api
      .upload('c1', 'tok', 'dl_me', png(), caption)
      .catch((e: unknown) => e)) as DirectLineError;
    expect([gateway.status, gateway.serverMessage]).toEqual([502, undefined]);
  });

  it('through the connection: refreshes an expired token once, and never sends an upload twice', async () => {
    const { api, seen } = fakeFetch([
      json(403, { error: { code: 'directline.token_invalid', message: 'expired' } }),
      json(200, { conversationId: 'c1', token: 'new', expires_in: 1800 }),
      json(200, { id: 'c1|0000003' }),
      new Response('', { status: 503 }),
    ]);
    const conn = new Connection({
      api,
      conversationId: 'c1',
      token: 'old',
      tokenExpiresAt: Date.now() + 30 * 60_000,
      onActivities: () => undefined,
      onToken: () => undefined,
      onStatus: () => undefined,
      onEnded: () => undefined,
    });
    expect(await conn.upload(png(), caption)).toBe('c1|0000003');
    expect(seen.map((r) => `${r.method} ${new URL(r.url).pathname} ${r.headers.Authorization}`)).toEqual([
      'POST /v3/directline/conversations/c1/upload Bearer old',
      'POST /v3/directline/tokens/refresh Bearer old',
      'POST /v3/directline/conversations/c1/upload Bearer new',
    ]);
    // A 503 may mean the file was stored: it is not sent again (the customer decides).
    await expect(conn.upload(png(), caption)).rejects.toMatchObject({ status: 503 });
    expect(seen).toHaveLength(4);
    conn.close();
  });

  it('reads a conversation file with the token', async () => {
    const { api, seen } = fakeFetch([new Response(new Uint8Array([1, 2, 3]), { status: 200 })]);
    const url = 'https://cc.test/v3/directline/conversations/c1/attachments/a1';
    expect((await api.attachment(url, 'tok')).size).toBe(3);
    expect(seen[0]).toMatchObject({ url, method: 'GET', headers: { Authorization: 'Bearer tok' } });
    const refused = fakeFetch([json(403, {})]);
    await expect(refused.api.attachment(url, 'tok')).rejects.toMatchObject({ status: 403 });
  });
});

describe('the widget token', () => {
  it("sends the visitor credential and the host's sign-in token together, and only what there is", async () => {
    const { api, seen } = fakeFetch([
      json(200, { conversationId: 'c', token: 't', userId: 'u', visitor: 'v' }),
      json(200, { conversationId: 'c', token: 't', userId: 'u', visitor: 'v' }),
      json(200, { conversationId: 'c', token: 't', userId: 'u', visitor: 'v' }),
    ]);
    await api.widgetToken('v'.repeat(22), 'eyJ.a.b');
    await api.widgetToken(undefined, 'eyJ.a.b');
    await api.widgetToken();
    expect(seen.map((r) => r.url)).toEqual(Array(3).fill('https://cc.test/widget/token'));
    expect(seen.map((r) => (typeof r.body === 'string' ? JSON.parse(r.body) : r.body))).toEqual([
      { visitor: 'v'.repeat(22), authToken: 'eyJ.a.b' },
      { authToken: 'eyJ.a.b' },
      undefined,
    ]);
  });

  it("carries the server's error code, which tells refusals apart", async () => {
    const { api } = fakeFetch([
      json(401, { error: { code: 'chat.auth_invalid', message: 'Your sign-in has expired.' } }),
    ]);
    const err = (await api.widgetToken(undefined, 'old').catch((e: unknown) => e)) as DirectLineError;
    expect([err.status, err.serverCode, err.serverMessage]).toEqual([
      401,
      'chat.auth_invalid',
      'Your sign-in has expired.',
    ]);
  });
});
