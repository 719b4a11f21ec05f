import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../services/app.js';
import { loadConfig } from '../../services/config.js';
import { silentLogger } from '../../services/log.js';
import { loadChannelKeys } from '../../bot/directline/index.js';
import { startTestServer, TEST_DIRECT_LINE_SECRET, type TestServer } from '../support/server.js';
import { expectHealthy, post, startCustomer, startListener, storeSnapshot } from './support.js';

// docs/security.md, findings 3, 4 and 5: a credential-less server trusted whoever posted to /api/messages and
// to its channel's bot-reply route. Each attack is replayed against the real server over HTTP.

let s: TestServer;
let attacker: Awaited<ReturnType<typeof startListener>>;

beforeAll(async () => {
  s = await startTestServer();
  attacker = await startListener();
});
afterAll(async () => {
  await s?.close();
  await attacker?.close();
});

function activity(fields: Record<string, unknown>) {
  return {
    type: 'message',
    id: `a-${Math.random().toString(36).slice(2)}`,
    channelId: 'webchat',
    serviceUrl: `${attacker.url}/any/path`,
    from: { id: 'attacker', name: 'Mallory' },
    recipient: { id: 'switchboard-bot' },
    conversation: { id: `conv-${Math.random().toString(36).slice(2)}` },
    text: 'hello',
    ...fields,
  };
}

describe('3. local mode is no request forwarder', () => {
  it('listens on loopback only when no credentials are configured', async () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'p' }).host).toBe('0.0.0.0');
    const dataDir = await mkdtemp(path.join(tmpdir(), 'switchboard-host-'));
    const app = await createApp(loadConfig({ PORT: '0', DATA_DIR: dataDir }), {
      log: silentLogger,
      seedDemo: false,
    });
    try {
      await app.listen(0);
      expect((app.server.address() as AddressInfo).address).toBe('127.0.0.1');
    } finally {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('never sends the bot’s replies to a serviceUrl an outsider names', async () => {
    const before = await storeSnapshot(s.services.store);
    const res = await post(s.url, '/api/messages', activity({}));
    expect(res.status).toBe(403);
    expect(res.json.error?.code).toBe('bot.untrusted_service_url');
    await s.services.bot.idle();
    expect(attacker.hits).toHaveLength(0);
    expect(await storeSnapshot(s.services.store)).toEqual(before);
    await expectHealthy(s.url);
  });

  it('refuses the same activity from a web page (Origin) and as a plain cross-site form post', async () => {
    const before = await storeSnapshot(s.services.store);
    const fromPage = await post(s.url, '/api/messages', activity({ channelId: 'emulator' }), {
      Origin: 'https://evil.example.net',
    });
    expect(fromPage.status).toBe(403);
    const form = await fetch(`${s.url}/api/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        type: 'message',
        channelId: 'emulator',
        serviceUrl: attacker.url,
        'conversation[id]': 'x',
        'from[id]': 'y',
      }),
    });
    expect(form.status).toBeGreaterThanOrEqual(400);
    expect(form.status).toBeLessThan(500);
    await s.services.bot.idle();
    expect(attacker.hits).toHaveLength(0);
    expect(await storeSnapshot(s.services.store)).toEqual(before);
  });

  it('still talks to an emulator on this machine, bound to the serviceUrl it started with', async () => {
    const conversation = { id: 'emulator-conversation-1' };
    const res = await post(
      s.url,
      '/api/messages',
      activity({
        channelId: 'emulator',
        conversation,
        type: 'conversationUpdate',
        text: undefined,
        membersAdded: [{ id: 'user' }],
      }),
    );
    expect(res.status).toBe(200);
    await s.services.bot.idle();
    expect(attacker.hits.length).toBeGreaterThan(0);
    attacker.hits.length = 0;
    const elsewhere = await post(
      s.url,
      '/api/messages',
      activity({ channelId: 'emulator', conversation, serviceUrl: 'http://127.0.0.1:9/elsewhere' }),
    );
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.json.error?.code).toBe('bot.conversation_bound_elsewhere');
  });
});

describe('4. a conversation cannot be taken over through /api/messages', () => {
  it('refuses activities that claim a customer’s conversation from elsewhere, and changes nothing', async () => {
    const victim = await startCustomer(s.url);
    const dl = `/v3/directline/conversations/${victim.conversationId}/activities`;
    const auth = { Authorization: `Bearer ${victim.token}` };
    await post(
      s.url,
      dl,
      { type: 'message', value: { preChat: { name: 'Vic', email: 'vic@example.com', topic: 'Billing' } } },
      auth,
    );
    await s.services.bot.idle();
    const created = await s.services.store
      .collection<{ conversationId: string; key: string }>('customer_bot_sessions')
      .findOne({ key: `directline:${victim.conversationId}` });
    expect(created).not.toBeNull();
    const conversationBefore = await s.services.conversations.get(created!.conversationId);
    const before = await storeSnapshot(s.services.store);

    // The attacker knows the conversation id (it is in the token, localStorage and the stream URL).
    const takeovers = [
      activity({
        channelId: 'directline',
        conversation: { id: victim.conversationId },
        value: { preChat: { email: 'mallory@evil.example' } },
      }),
      activity({ channelId: 'directline', conversation: { id: victim.conversationId }, text: 'transcript' }),
      // Naming the channel's own serviceUrl does not help without the channel's credential.
      activity({
        channelId: 'directline',
        conversation: { id: victim.conversationId },
        serviceUrl: `${s.url}/v3/directline`,
      }),
    ];
    for (const a of takeovers) {
      const res = await post(s.url, '/api/messages', a);
      expect(res.status, JSON.stringify(a.serviceUrl)).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    // Nor with it: the channel hands its activities to the bot in-process, so no request to
    // /api/messages speaks for a directline conversation, even one carrying the bot's own secret.
    const { botSecret } = await loadChannelKeys(s.services.store, TEST_DIRECT_LINE_SECRET);
    const withSecret = await post(
      s.url,
      '/api/messages',
      activity({
        channelId: 'directline',
        conversation: { id: victim.conversationId },
        serviceUrl: `${s.url}/v3/directline`,
        text: 'transcript',
      }),
      { Authorization: `Bearer ${botSecret}` },
    );
    expect(withSecret.status).toBe(403);
    expect(withSecret.json.error?.code).toBe('bot.untrusted_service_url');
    await s.services.bot.idle();
    expect(attacker.hits).toHaveLength(0);
    expect(await storeSnapshot(s.services.store)).toEqual(before);
    const conversationAfter = await s.services.conversations.get(created!.conversationId);
    expect(conversationAfter.channelRef).toEqual(conversationBefore.channelRef);
    expect(conversationAfter.context.preChat.email).toBe('vic@example.com');

    // The customer's own channel still reaches the bot.
    const own = await post(s.url, dl, { type: 'message', text: 'transcript please' }, auth);
    expect(own.status).toBe(200);
    await expectHealthy(s.url);
  });
});

describe("5. the channel's bot-reply route is the bot's alone", () => {
  it('refuses anyone without the bot’s secret with 401, whether the conversation exists or not', async () => {
    const victim = await startCustomer(s.url);
    await s.services.bot.idle();
    const before = await storeSnapshot(s.services.store);
    const fake = {
      type: 'message',
      from: { id: 'agent', name: 'Alex (Support)' },
      text: 'Confirm your password here: http://evil.example',
    };
    for (const id of [victim.conversationId, 'dlconv_does_not_exist']) {
      const attempts: Array<Record<string, string>> = [
        {},
        { Authorization: 'Bearer guess' },
        { Authorization: `Bearer ${victim.token}` },
      ];
      for (const headers of attempts) {
        const res = await post(s.url, `/v3/directline/v3/conversations/${id}/activities`, fake, headers);
        expect(res.status).toBe(401);
        expect(res.json.error?.code).toBe('directline.bot_unauthorized');
      }
    }
    expect(await storeSnapshot(s.services.store)).toEqual(before);
    const page = await fetch(`${s.url}/v3/directline/conversations/${victim.conversationId}/activities`, {
      headers: { Authorization: `Bearer ${victim.token}` },
    });
    const { activities } = (await page.json()) as { activities: Array<{ text?: string }> };
    expect(activities.some((a) => a.text?.includes('password'))).toBe(false);
    await expectHealthy(s.url);
  });
});

describe("5. the bot's secret goes to its own channel alone", () => {
  it('gives an emulator whose serviceUrl looks like a channel on another port no secret, and asks it nothing', async () => {
    attacker.hits.length = 0;
    const res = await post(
      s.url,
      '/api/messages',
      activity({
        channelId: 'emulator',
        serviceUrl: `${attacker.url}/v3/directline`,
        conversation: { id: 'emulator-shaped-like-a-sibling' },
        type: 'conversationUpdate',
        text: undefined,
        membersAdded: [{ id: 'user' }],
      }),
    );
    expect(res.status).toBe(200);
    await s.services.bot.idle();
    // The bot answers the emulator as an emulator: its replies arrive, unsigned.
    await expect.poll(() => attacker.hits.length).toBeGreaterThan(0);
    const replies = attacker.hits.map((h) => ({
      method: h.method,
      url: h.url,
      auth: h.headers.authorization,
    }));
    expect(replies.filter((r) => r.auth !== undefined)).toEqual([]);
    expect(replies.filter((r) => r.url === '/api/health')).toEqual([]);
  });
});
