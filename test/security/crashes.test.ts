import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectHealthy, post, raw, startCustomer, storeSnapshot, upgradeRequest } from './support.js';

// docs/security.md, findings 1, 2, 10 and 12: requests that stopped the server, inflated in its memory, held
// its connections, or left it half-written. Each is sent as the attacker sent it, over real HTTP.

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ app: { httpTimeouts: { headersMs: 1500, bodyMs: 1500 } } });
});
afterAll(async () => {
  await s?.close();
});

describe('1. one request no longer stops the server', () => {
  it('answers an upgrade to a badly escaped stream path with 400, and keeps running', async () => {
    const before = await storeSnapshot(s.services.store);
    const answer = await raw(s.url, [upgradeRequest('/v3/directline/conversations/%ZZ/stream')]);
    expect(answer.status).toBe(400);
    expect(answer.closed).toBe(true);
    await expectHealthy(s.url);
    expect(await storeSnapshot(s.services.store)).toEqual(before);
  });

  it.each(['GET /api/health', 'POST /api/messages', 'POST /v3/directline/tokens/generate'])(
    'refuses a body claiming gzip that is not gzip with 415 (%s)',
    async (line) => {
      const [method, path] = line.split(' ') as [string, string];
      const before = await storeSnapshot(s.services.store);
      const body = 'this is not gzip at all';
      const answer = await raw(s.url, [
        `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
          `Content-Encoding: gzip\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
      ]);
      expect(answer.status).toBe(415);
      await expectHealthy(s.url);
      expect(await storeSnapshot(s.services.store)).toEqual(before);
    },
  );
});

describe('2. a decompression bomb is refused before it is inflated', () => {
  it('answers 415 to 100 KB of gzip that would inflate to 100 MB', async () => {
    const bomb = gzipSync(Buffer.alloc(100 * 1024 * 1024, 0x20), { level: 9 });
    expect(bomb.length).toBeLessThan(256 * 1024);
    const before = await storeSnapshot(s.services.store);
    const res = await fetch(`${s.url}/v3/directline/tokens/generate`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
      body: bomb,
    });
    expect(res.status).toBe(415);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unsupported_encoding');
    await expectHealthy(s.url);
    expect(await storeSnapshot(s.services.store)).toEqual(before);
  });
});

describe('10. no connection is held open', () => {
  it('answers an upgrade to any other path with 404 and closes it', async () => {
    const answers = await Promise.all(
      ['/', '/anything', '/api/health', '/v3/directline/tokens/generate'].map((p) =>
        raw(s.url, [upgradeRequest(p)]),
      ),
    );
    for (const a of answers) {
      expect(a.status).toBe(404);
      expect(a.closed).toBe(true);
    }
    await expectHealthy(s.url);
  });

  it('closes a connection whose body never finishes arriving', async () => {
    const answer = await raw(
      s.url,
      [
        'POST /api/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"type":',
      ],
      { waitMs: 15_000 },
    );
    expect(answer.closed).toBe(true);
    expect(answer.status).toBe(408);
    await expectHealthy(s.url);
  });

  it('closes a connection whose headers never finish arriving', async () => {
    const answer = await raw(s.url, ['GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n'], { waitMs: 15_000 });
    expect(answer.closed).toBe(true);
    await expectHealthy(s.url);
  });
});

describe('12. smaller findings', () => {
  it('refuses very deep JSON with 400, stores nothing and leaves no gap in the numbering', async () => {
    const c = await startCustomer(s.url);
    const path = `/v3/directline/conversations/${c.conversationId}/activities`;
    const auth = { Authorization: `Bearer ${c.token}` };
    const first = await post(s.url, path, { type: 'message', text: 'one' }, auth);
    expect(first.status).toBe(200);
    await s.services.bot.idle();
    const before = await storeSnapshot(s.services.store);

    const deep = `{"type":"message","text":"deep","value":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
    const res = await post(s.url, path, deep, auth);
    expect(res.status).toBe(400);
    expect(res.json.error?.code).toBe('invalid_json');
    expect(await storeSnapshot(s.services.store)).toEqual(before);

    const next = await post(s.url, path, { type: 'message', text: 'two' }, auth);
    expect(next.status).toBe(200);
    await s.services.bot.idle();
    // Every number handed out belongs to a stored activity, and nothing is owed to the bot.
    const stored = await s.services.store
      .collection<{ conversationId: string; seq: number; owed?: boolean }>('directline_activities')
      .find({ conversationId: c.conversationId }, { sort: { seq: 1 } });
    expect(stored.map((a) => a.seq)).toEqual(stored.map((_, i) => i + 1));
    expect(stored.filter((a) => a.owed)).toEqual([]);
    await expectHealthy(s.url);
  });

  it('answers a body that is not JSON with 415 naming the type to send, and stores nothing', async () => {
    const c = await startCustomer(s.url);
    await s.services.bot.idle();
    const before = await storeSnapshot(s.services.store);
    const message = JSON.stringify({ type: 'message', text: 'sent as text' });
    const dev = await post(s.url, '/api/v1/dev/sign-in', { agentId: 'agent_alex' });
    const asked: Array<[string, Record<string, string>]> = [
      [`/v3/directline/conversations/${c.conversationId}/activities`, { Authorization: `Bearer ${c.token}` }],
      ['/api/v1/me/presence', { Authorization: `Bearer ${String(dev.json.token)}` }],
    ];
    for (const [path, auth] of asked) {
      for (const type of [
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        '',
      ]) {
        const res = await fetch(`${s.url}${path}`, {
          method: path.includes('presence') ? 'PUT' : 'POST',
          headers: { ...auth, ...(type ? { 'Content-Type': type } : {}) },
          body: new Blob([message]),
        });
        const error = ((await res.json()) as { error: { code: string; message: string } }).error;
        expect([path, type, res.status, error.code]).toEqual([path, type, 415, 'unsupported_media_type']);
        expect(error.message).toContain('application/json');
      }
    }
    expect(await storeSnapshot(s.services.store)).toEqual(before);
    await expectHealthy(s.url);
  });

  it('serves the demo page and the widget with a Content-Security-Policy, nosniff and no framing', async () => {
    for (const path of ['/', '/widget/loader.js']) {
      const res = await fetch(`${s.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-security-policy'), path).toMatch(/frame-ancestors 'none'/);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
    }
    const page = await fetch(`${s.url}/`);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
  });
});
