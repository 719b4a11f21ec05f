import { stat } from 'node:fs/promises';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { loadChannelKeys } from '../../bot/directline/index.js';
import { movableClock } from '../bot/support/test-bot.js';
import { startTestServer, TEST_DIRECT_LINE_SECRET, type TestServer } from '../support/server.js';
import { expectHealthy, post, startCustomer, storeSnapshot } from './support.js';

// docs/security.md, findings 6, 7 (the preflight), 8 and 11: who may mint tokens, what tokens are worth, how
// private the data folder is, and what the widget may say about its visitor.

const SHOP = 'https://shop.example.com';
const clock = movableClock();
let s: TestServer;

beforeAll(async () => {
  s = await startTestServer({ env: { ALLOWED_ORIGINS: SHOP }, app: { deps: clock } });
});
afterAll(async () => {
  await s?.close();
});

const dlConversations = () => s.services.store.collection('directline_conversations').count({});

describe('6. tokens are not for anyone to mint', () => {
  it('refuses tokens/generate and a conversation start without the Direct Line secret', async () => {
    const before = await storeSnapshot(s.services.store);
    for (const headers of [
      {},
      { Authorization: 'Bearer not-the-secret' },
      { Origin: 'https://evil.example.net' },
    ]) {
      const gen = await post(s.url, '/v3/directline/tokens/generate', {}, headers as Record<string, string>);
      expect(gen.status).toBe(403);
      expect(gen.json.error?.code).toBe('directline.secret_required');
      const start = await post(s.url, '/v3/directline/conversations', {}, headers as Record<string, string>);
      expect(start.status).toBe(403);
    }
    expect(await storeSnapshot(s.services.store)).toEqual(before);
    await expectHealthy(s.url);
  });

  it('hands a token to a site’s server holding the secret, and starts a conversation with it too', async () => {
    const gen = await post(
      s.url,
      '/v3/directline/tokens/generate',
      {},
      { Authorization: `Bearer ${TEST_DIRECT_LINE_SECRET}` },
    );
    expect(gen.status).toBe(200);
    expect(gen.json).toMatchObject({ conversationId: expect.any(String), token: expect.any(String) });
    const started = await post(
      s.url,
      '/v3/directline/conversations',
      {},
      { Authorization: `Bearer ${TEST_DIRECT_LINE_SECRET}` },
    );
    expect(started.status).toBe(201);
    expect(started.json.streamUrl).toEqual(expect.any(String));
  });

  it('gives widget tokens only to pages of allowed sites, and not without limit', async () => {
    const before = await dlConversations();
    for (const origin of [undefined, 'https://evil.example.net', 'null']) {
      const res = await post(s.url, '/widget/token', {}, origin ? { Origin: origin } : {});
      expect(res.status).toBe(403);
      expect(res.json.error?.code).toBe('widget.origin_not_allowed');
    }
    expect(await dlConversations()).toBe(before);

    await expectHealthy(s.url);
  });
});

describe('7. the official client’s headers are allowed for configured origins', () => {
  it('answers the Web Chat preflight (x-requested-with, x-ms-bot-agent) for an allowed site only', async () => {
    const preflight = (origin: string) =>
      fetch(`${s.url}/v3/directline/conversations/x/activities`, {
        method: 'OPTIONS',
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'authorization,content-type,x-ms-bot-agent,x-requested-with',
        },
      });
    const allowed = await preflight(SHOP);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(SHOP);
    const headers = (allowed.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    for (const h of ['authorization', 'content-type', 'x-ms-bot-agent', 'x-requested-with'])
      expect(headers).toContain(h);
    expect((await preflight('https://evil.example.net')).status).toBe(403);
  });
});

describe('8. data at rest', () => {
  it('keeps the data folder private to the server’s user', async () => {
    expect((await stat(s.dataDir)).mode & 0o777).toBe(0o700);
    const files = await readdir(s.dataDir);
    expect(files).toContain('directline_keys.db');
    for (const f of files) expect((await stat(path.join(s.dataDir, f))).mode & 0o777, f).toBe(0o600);
  });

  it('refuses a token without an expiry, and one living longer than the channel issues', async () => {
    const c = await startCustomer(s.url);
    // The attacker has the signing key itself (the 644 file of the finding).
    const { tokenKey } = await loadChannelKeys(s.services.store, TEST_DIRECT_LINE_SECRET);
    const now = Math.floor(clock.now().getTime() / 1000);
    const noExp = await new SignJWT({ conv: c.conversationId, user: 'dl_x' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('switchboard-directline')
      .setIssuedAt(now)
      .sign(tokenKey);
    const tenYears = await new SignJWT({ conv: c.conversationId, user: 'dl_x' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('switchboard-directline')
      .setIssuedAt(now)
      .setExpirationTime(now + 10 * 365 * 24 * 3600)
      .sign(tokenKey);
    for (const token of [noExp, tenYears]) {
      const res = await fetch(`${s.url}/v3/directline/conversations/${c.conversationId}/activities`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(403);
    }
  });

  it('revokes a conversation’s tokens and closes its stream when it ends', async () => {
    const c = await startCustomer(s.url);
    const ws = new WebSocket(c.streamUrl);
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    await new Promise((resolve, reject) => {
      ws.on('open', resolve);
      ws.on('error', reject);
    });
    const end = await post(
      s.url,
      `/v3/directline/conversations/${c.conversationId}/activities`,
      { type: 'endOfConversation' },
      { Authorization: `Bearer ${c.token}` },
    );
    expect(end.status).toBe(200);
    expect(await closed).toBe(1000);
    const read = await fetch(`${s.url}/v3/directline/conversations/${c.conversationId}/activities`, {
      headers: { Authorization: `Bearer ${c.token}` },
    });
    expect(read.status).toBe(404);
    const refresh = await post(
      s.url,
      '/v3/directline/tokens/refresh',
      {},
      { Authorization: `Bearer ${c.token}` },
    );
    expect(refresh.status).toBe(404);
    await s.services.bot.idle();
  });

  it('closes an open stream when its token expires', async () => {
    const c = await startCustomer(s.url);
    // The token was issued now; the stream opens four seconds before it runs out.
    clock.advance(3600_000 - 4000);
    try {
      const ws = new WebSocket(c.streamUrl);
      const code = await new Promise<number | string>((resolve) => {
        ws.on('unexpected-response', (_req, res) => resolve(`refused ${res.statusCode}`));
        ws.on('close', (x) => resolve(x));
        ws.on('error', () => {});
      });
      expect(code).toBe(4001);
    } finally {
      clock.advance(-(3600_000 - 4000));
    }
  });
});

describe('11. privacy: what the page says stays the page’s word', () => {
  it('never lets a visitor choose its user id', async () => {
    const victim = await startCustomer(s.url, 'dl_victimcustomer01');
    await s.services.bot.idle();
    const widget = await post(
      s.url,
      '/widget/token',
      { user: { id: 'dl_victimcustomer01' }, visitor: 'short' },
      { Origin: SHOP },
    );
    expect(widget.status).toBe(200);
    expect(widget.json.userId).not.toBe('dl_victimcustomer01');
    const started = await post(
      s.url,
      '/v3/directline/conversations',
      { user: { id: 'dl_victimcustomer01' } },
      { Authorization: `Bearer ${widget.json.token as string}` },
    );
    expect(started.status).toBe(201);
    const log = await s.services.store
      .collection<{ conversationId: string; userId: string }>('directline_conversations')
      .findOne({ conversationId: widget.json.conversationId as string });
    expect(log?.userId).toBe(widget.json.userId);
    expect(victim.conversationId).not.toBe(widget.json.conversationId);

    // The same browser (its visitor credential) is the same visitor again.
    const again = await post(s.url, '/widget/token', { visitor: widget.json.visitor }, { Origin: SHOP });
    expect(again.json.userId).toBe(widget.json.userId);
  });

  it('stores navigation without query strings and fragments, and marks custom context as reported', async () => {
    const c = await startCustomer(s.url);
    const res = await post(
      s.url,
      `/v3/directline/conversations/${c.conversationId}/activities`,
      {
        type: 'event',
        name: 'visitorContext',
        value: {
          visitor: { browser: 'Chrome 120', authenticated: true },
          portalNavigation: [
            {
              kind: 'page',
              title: 'Reset',
              url: 'https://shop.example.com/reset?token=pw-reset-secret',
              at: new Date().toISOString(),
            },
            {
              kind: 'page',
              title: 'Back',
              url: 'https://shop.example.com/cb#access_token=oauth-secret',
              at: new Date().toISOString(),
            },
          ],
          custom: { accountId: 'NW-1', tier: 'VIP' },
        },
      },
      { Authorization: `Bearer ${c.token}` },
    );
    expect(res.status).toBe(200);
    await s.services.bot.idle();
    const session = await s.services.store
      .collection<{ key: string; conversationId: string }>('customer_bot_sessions')
      .findOne({ key: `directline:${c.conversationId}` });
    const conversation = await s.services.conversations.get(session!.conversationId);
    expect(conversation.context.portalNavigation.map((n) => n.url)).toEqual([
      'https://shop.example.com/reset',
      'https://shop.example.com/cb',
    ]);
    expect(JSON.stringify(conversation)).not.toMatch(/pw-reset-secret|oauth-secret/);
    expect(conversation.context.custom).toEqual({ accountId: 'NW-1', tier: 'VIP' });
    expect(conversation.context.reportedCustomKeys?.sort()).toEqual(['accountId', 'tier']);
    expect(conversation.context.visitor).toMatchObject({ authenticated: false, reportedAuthenticated: true });
  });
});

describe('6 (last, it spends this address’s allowance). widget tokens are rate-limited', () => {
  it('answers 429 with Retry-After once an address has started 30 chats in 10 minutes', async () => {
    const before = await dlConversations();
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 35; i++) {
      const res = await fetch(`${s.url}/widget/token`, { method: 'POST', headers: { Origin: SHOP } });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
      await res.arrayBuffer();
    }
    expect(statuses.filter((x) => x === 200).length).toBeLessThanOrEqual(30);
    expect(statuses.at(-1)).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(await dlConversations()).toBeLessThanOrEqual(before + 30);
    await expectHealthy(s.url);
  });
});
