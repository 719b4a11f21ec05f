import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectHealthy, post, startCustomer, storeSnapshot } from './support.js';

// docs/security.md, finding 9: one visitor could store 256 KB messages forever, post without pause and open
// 200 streams on one token. Every limit answers as Direct Line clients expect (429 + Retry-After).

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s?.close();
});

function openStream(url: string): Promise<{ ws: WebSocket; status: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.on('open', () => resolve({ ws, status: 101 }));
    ws.on('unexpected-response', (_req, res) => resolve({ ws, status: res.statusCode ?? 0 }));
    ws.on('error', () => {});
  });
}

describe('9. limits', () => {
  it('refuses an activity larger than a chat message with 413 and stores nothing', async () => {
    const c = await startCustomer(s.url);
    await s.services.bot.idle();
    const before = await storeSnapshot(s.services.store);
    const res = await post(
      s.url,
      `/v3/directline/conversations/${c.conversationId}/activities`,
      { type: 'message', text: 'hi', value: { blob: 'x'.repeat(100 * 1024) } },
      { Authorization: `Bearer ${c.token}` },
    );
    expect(res.status).toBe(413);
    expect(res.json.error?.code).toBe('directline.activity_too_large');
    expect(await storeSnapshot(s.services.store)).toEqual(before);
  });

  it('limits the posts into one conversation: 429 with a Retry-After a page of an allowed site can read', async () => {
    const c = await startCustomer(s.url);
    let limited: Response | undefined;
    for (let i = 0; i < 70 && !limited; i++) {
      const res = await fetch(`${s.url}/v3/directline/conversations/${c.conversationId}/activities`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${c.token}`,
          'Content-Type': 'application/json',
          Origin: new URL(s.url).origin,
        },
        body: JSON.stringify({ type: 'typing' }),
      });
      if (res.status === 429) limited = res;
      else expect(res.status).toBe(200);
      await res.arrayBuffer();
    }
    expect(limited?.status).toBe(429);
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
    // The widget runs on the customer's site: without this a browser would hide the wait from it.
    expect(limited?.headers.get('access-control-expose-headers')).toContain('Retry-After');
    await expectHealthy(s.url);
  });

  it('caps the streams one token may open, and the fan-out with them', async () => {
    const c = await startCustomer(s.url);
    const opened = [];
    for (let i = 0; i < 5; i++) opened.push(await openStream(c.streamUrl));
    expect(opened.map((o) => o.status)).toEqual([101, 101, 101, 429, 429]);
    for (const o of opened) o.ws.terminate();
    await expectHealthy(s.url);
  });

  it('drops channel activities after the retention period; the transcript stays with the conversation', async () => {
    const c = await startCustomer(s.url);
    const sent = await post(
      s.url,
      `/v3/directline/conversations/${c.conversationId}/activities`,
      { type: 'message', text: 'my router blinks red' },
      { Authorization: `Bearer ${c.token}` },
    );
    expect(sent.status).toBe(200);
    type Page = { activities: Array<{ type: string; text?: string; from: { role?: string } }> };
    const activities = async () =>
      (
        (await (
          await fetch(`${s.url}/v3/directline/conversations/${c.conversationId}/activities`, {
            headers: { Authorization: `Bearer ${c.token}` },
          })
        ).json()) as Page
      ).activities;
    // The bot's answer is in the log before the sweep, not written just after it.
    const answered = (log: Page['activities']) =>
      log
        .slice(log.findIndex((a) => a.text === 'my router blinks red'))
        .some((a) => a.type === 'message' && a.from.role === 'bot');
    await expect.poll(async () => answered(await activities())).toBe(true);
    await s.services.bot.idle();
    const dropped = await s.services.bot.directLine.sweep(0, 7 * 24 * 3600_000);
    expect(dropped).toBeGreaterThan(0);
    expect(await activities()).toEqual([]);
    const session = await s.services.store
      .collection<{ key: string; conversationId: string }>('customer_bot_sessions')
      .findOne({ key: `directline:${c.conversationId}` });
    const transcript = await s.services.conversations.transcript(session!.conversationId);
    expect(transcript.some((l) => l.text === 'my router blinks red')).toBe(true);
  });
});
