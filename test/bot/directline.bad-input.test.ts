import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startAppHarness, type BotHarness } from './support/app-harness.js';
import { loadChannelKeys } from '../../bot/directline/index.js';
import { movableClock } from './support/test-bot.js';
import { TEST_DIRECT_LINE_SECRET } from '../support/server.js';

// The local Direct Line channel refuses what it cannot accept with the status the official client
// understands (403 token, 404 conversation, 4xx input) and a JSON error body — and stores nothing.

let h: BotHarness;
const clock = movableClock();
const dl = () => `${h.url}/v3/directline`;

interface Started {
  conversationId: string;
  token: string;
  streamUrl: string;
}

async function call(
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; raw?: string } = {},
) {
  const headers: Record<string, string> = {};
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined || opts.raw !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${dl()}${path}`, {
    method,
    headers,
    body: opts.raw ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: (text ? JSON.parse(text) : null) as Record<string, unknown> & {
      error?: { code: string; message: string };
    },
  };
}

async function startConversation(): Promise<Started> {
  const generated = await call('POST', '/tokens/generate', {
    token: TEST_DIRECT_LINE_SECRET,
    body: { user: { id: 'dl_badinputuser1' } },
  });
  const started = await call('POST', '/conversations', { token: generated.body.token as string });
  expect(started.status).toBe(201);
  return started.body as unknown as Started;
}

async function storedActivities(
  c: Started,
): Promise<Array<{ type: string; text?: string; from: { id: string } }>> {
  await h.bot.idle();
  const page = await call('GET', `/conversations/${c.conversationId}/activities`, { token: c.token });
  return page.body.activities as Array<{ type: string; text?: string; from: { id: string } }>;
}

beforeAll(async () => {
  h = await startAppHarness({ deps: clock });
});
afterAll(async () => {
  await h?.close();
});

describe('tokens and conversations', () => {
  it('refuses a call without a token, or with a forged one, with 403', async () => {
    const missing = await call('POST', '/conversations');
    expect(missing.status).toBe(403);
    expect(missing.body.error?.code).toBe('directline.token_missing');
    const forged = await call('POST', '/conversations', { token: 'eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl' });
    expect(forged.status).toBe(403);
    expect(forged.body.error?.code).toBe('directline.token_invalid');
  });

  it('answers 404 for a conversation that does not exist', async () => {
    const c = await startConversation();
    for (const [method, path] of [
      ['GET', '/conversations/dlconv_nope'],
      ['GET', '/conversations/dlconv_nope/activities'],
      ['POST', '/conversations/dlconv_nope/activities'],
    ] as const) {
      const res = await call(method, path, {
        token: c.token,
        body: method === 'POST' ? { type: 'message', text: 'hi' } : undefined,
      });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error?.code).toBe('directline.conversation_not_found');
    }
  });

  it("answers 403 to a token used on another customer's conversation", async () => {
    const mine = await startConversation();
    const theirs = await startConversation();
    const read = await call('GET', `/conversations/${theirs.conversationId}/activities`, {
      token: mine.token,
    });
    expect(read.status).toBe(403);
    expect(read.body.error?.code).toBe('directline.token_wrong_conversation');
    const write = await call('POST', `/conversations/${theirs.conversationId}/activities`, {
      token: mine.token,
      body: { type: 'message', text: 'let me in' },
    });
    expect(write.status).toBe(403);
    expect((await storedActivities(theirs)).some((a) => a.text === 'let me in')).toBe(false);
  });

  it('answers 403 to an expired token, and a refreshed token works', async () => {
    const c = await startConversation();
    const refreshed = await call('POST', '/tokens/refresh', { token: c.token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({ conversationId: c.conversationId, expires_in: 3600 });
    clock.advance(2 * 60 * 60 * 1000);
    try {
      const res = await call('GET', `/conversations/${c.conversationId}/activities`, { token: c.token });
      expect(res.status).toBe(403);
      expect(res.body.error?.code).toBe('directline.token_invalid');
    } finally {
      clock.advance(-2 * 60 * 60 * 1000);
    }
    const again = await call('GET', `/conversations/${c.conversationId}/activities`, {
      token: refreshed.body.token as string,
    });
    expect(again.status).toBe(200);
  });

  it('refuses a WebSocket stream with a token for another conversation', async () => {
    const mine = await startConversation();
    const theirs = await startConversation();
    const url = theirs.streamUrl.replace(/t=[^&]+/, `t=${encodeURIComponent(mine.token)}`);
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(url);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => {
        ws.close();
        resolve(101);
      });
      ws.on('error', () => {});
    });
    expect(status).toBe(403);
  });
});

describe('activities', () => {
  it('refuses malformed activities with 400 and stores none of them', async () => {
    const c = await startConversation();
    const path = `/conversations/${c.conversationId}/activities`;
    const bad: Array<[unknown, string]> = [
      [{ type: 'bogus', text: 'x' }, 'directline.invalid_activity'],
      [{ text: 'no type' }, 'directline.invalid_activity'],
      [[{ type: 'message', text: 'in an array' }], 'directline.invalid_activity'],
      [{ type: 'message' }, 'directline.invalid_activity'],
      [{ type: 'event', value: 1 }, 'directline.invalid_activity'],
      [{ type: 'message', text: 42 }, 'directline.invalid_activity'],
      [{ type: 'message', text: 'x'.repeat(4001) }, 'directline.message_too_long'],
    ];
    for (const [body, code] of bad) {
      const res = await call('POST', path, { token: c.token, body });
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(res.body.error?.code).toBe(code);
      expect(typeof res.body.error?.message).toBe('string');
    }
    const invalidJson = await call('POST', path, { token: c.token, raw: '{"type": "message", "text": ' });
    expect(invalidJson.status).toBe(400);
    expect(invalidJson.body.error?.code).toBe('invalid_json');

    const huge = await call('POST', path, {
      token: c.token,
      body: { type: 'message', text: 'hi', value: { blob: 'x'.repeat(300 * 1024) } },
    });
    expect(huge.status).toBe(413);
    expect(huge.body.error?.code).toBe('payload_too_large');

    const fromCustomer = (await storedActivities(c)).filter((a) => a.from.id === 'dl_badinputuser1');
    expect(fromCustomer).toEqual([]);
  });

  it('accepts a 4,000-character message, stamps the sender from the token, and answers with its id', async () => {
    const c = await startConversation();
    const res = await call('POST', `/conversations/${c.conversationId}/activities`, {
      token: c.token,
      body: { type: 'message', text: 'y'.repeat(4000), from: { id: 'someone-else' } },
    });
    expect(res.status).toBe(200);
    expect(res.body.id).toMatch(new RegExp(`^${c.conversationId}\\|\\d+$`));
    const mine = (await storedActivities(c)).filter(
      (a) => a.type === 'message' && a.from.id === 'dl_badinputuser1',
    );
    expect(mine).toHaveLength(1);
  });

  it('takes uploads only as multipart bodies (415)', async () => {
    const c = await startConversation();
    const res = await call('POST', `/conversations/${c.conversationId}/upload?userId=dl_badinputuser1`, {
      token: c.token,
      body: {},
    });
    expect(res.status).toBe(415);
    expect(res.body.error?.code).toBe('directline.upload_not_multipart');
  });

  it('refuses an upload that carries its activity twice, and stores neither', async () => {
    const c = await startConversation();
    const form = new FormData();
    form.append('file', new Blob(['hello'], { type: 'text/plain' }), 'note.txt');
    form.append('activity', JSON.stringify({ type: 'message', text: 'first' }));
    form.append('activity', JSON.stringify({ type: 'message', text: 'second' }));
    const res = await fetch(`${dl()}/conversations/${c.conversationId}/upload?userId=dl_badinputuser1`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${c.token}` },
      body: form,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: {
        code: 'directline.invalid_activity',
        message: 'An upload carries at most one "activity" part',
      },
    });
    const stored = await storedActivities(c);
    expect(stored.filter((a) => a.from.id === 'dl_badinputuser1')).toEqual([]);
  });

  it('hands out watermarks so a client gets every later activity exactly once', async () => {
    const c = await startConversation();
    await call('POST', `/conversations/${c.conversationId}/activities`, {
      token: c.token,
      body: { type: 'message', text: 'first' },
    });
    await h.bot.idle();
    const page1 = await call('GET', `/conversations/${c.conversationId}/activities`, { token: c.token });
    await call('POST', `/conversations/${c.conversationId}/activities`, {
      token: c.token,
      body: { type: 'message', text: 'second' },
    });
    await h.bot.idle();
    const page2 = await call(
      'GET',
      `/conversations/${c.conversationId}/activities?watermark=${page1.body.watermark as string}`,
      {
        token: c.token,
      },
    );
    const texts1 = (page1.body.activities as Array<{ text?: string }>).map((a) => a.text);
    const texts2 = (page2.body.activities as Array<{ text?: string }>).map((a) => a.text);
    expect(texts1).toContain('first');
    expect(texts2).toContain('second');
    expect(texts2).not.toContain('first');
    expect(Number(page2.body.watermark)).toBeGreaterThan(Number(page1.body.watermark));
  });
});

describe('the Bot Framework endpoint', () => {
  it('refuses a body that is not an activity with a JSON 400', async () => {
    const res = await fetch(`${h.url}/api/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ hello: 'world' }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('bot.invalid_activity');
  });

  it('refuses bot replies to an unknown Direct Line conversation with 404', async () => {
    // The bot itself (its per-install secret): to anyone else the route answers 401 whatever the id.
    const { botSecret } = await loadChannelKeys(h.store, TEST_DIRECT_LINE_SECRET);
    const res = await fetch(`${dl()}/v3/conversations/dlconv_nope/activities`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${botSecret}` },
      body: JSON.stringify({ type: 'message', text: 'hello' }),
    });
    expect(res.status).toBe(404);
  });
});
