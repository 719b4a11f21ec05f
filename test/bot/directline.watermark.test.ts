import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startAppHarness, type BotHarness } from './support/app-harness.js';
import { callDirectLine, openCustomerConversation } from './support/directline-http.js';
import { movableClock } from './support/test-bot.js';

// A watermark is what the channel gave: a client that sends back something else is told so, and one
// past the end is answered with the real end, so that it misses nothing stored after.

let h: BotHarness;
const clock = movableClock();

beforeAll(async () => {
  h = await startAppHarness({ deps: clock });
});
afterAll(async () => {
  await h?.close();
});

async function conversationWithHistory(userId: string) {
  const c = await openCustomerConversation(h.url, userId);
  await c.send('hello');
  await h.bot.idle();
  const all = await callDirectLine(h.url, 'GET', `/conversations/${c.conversationId}/activities`, c.token);
  return { ...c, end: all.body.watermark as string };
}

const activities = (c: { conversationId: string; token: string }, watermark: string) =>
  callDirectLine(
    h.url,
    'GET',
    `/conversations/${c.conversationId}/activities?watermark=${encodeURIComponent(watermark)}`,
    c.token,
  );

describe('Direct Line watermarks', () => {
  it('refuses a malformed watermark with 400 rather than sending the whole history again', async () => {
    const c = await conversationWithHistory('dl_watermarkuser01');
    for (const bad of ['abc', '-1', '1.5', '12abc', '99999999999999999999']) {
      const res = await activities(c, bad);
      expect(res.status, bad).toBe(400);
      expect((res.body.error as { code: string }).code).toBe('directline.invalid_watermark');
    }
    // The reconnect call takes the same watermarks.
    const reconnect = await callDirectLine(
      h.url,
      'GET',
      `/conversations/${c.conversationId}?watermark=abc`,
      c.token,
    );
    expect(reconnect.status).toBe(400);
  });

  it('answers a watermark past the end with the real end, so later activities still come', async () => {
    const c = await conversationWithHistory('dl_watermarkuser02');
    expect(Number(c.end)).toBeGreaterThan(0);
    const beyond = await activities(c, '99999');
    expect(beyond.status).toBe(200);
    expect(beyond.body).toEqual({ activities: [], watermark: c.end });

    await c.send('and another thing');
    await h.bot.idle();
    const next = await activities(c, beyond.body.watermark as string);
    expect((next.body.activities as Array<{ text?: string }>).map((a) => a.text)).toContain(
      'and another thing',
    );
  });

  it('still answers the whole history without a watermark, and nothing new at the end', async () => {
    const c = await conversationWithHistory('dl_watermarkuser03');
    const whole = await activities(c, '');
    expect(whole.status).toBe(200);
    expect((whole.body.activities as unknown[]).length).toBeGreaterThan(0);
    const atEnd = await activities(c, c.end);
    expect(atEnd.body).toEqual({ activities: [], watermark: c.end });
  });
});

describe('Direct Line watermarks on the stream URL', () => {
  const streamAt = (c: { conversationId: string; token: string }, watermark: string) =>
    `${h.url.replace(/^http/, 'ws')}/v3/directline/conversations/${c.conversationId}/stream?watermark=${watermark}&t=${encodeURIComponent(c.token)}`;

  it('refuses a malformed one with 400', async () => {
    const c = await conversationWithHistory('dl_watermarkuser05');
    const ws = new WebSocket(streamAt(c, 'abc'));
    const status = await new Promise<number>((resolve, reject) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => reject(new Error('the stream opened')));
      ws.on('error', () => undefined);
    });
    expect(status).toBe(400);
  });

  it('sends what comes after the real end to a stream opened past it', async () => {
    const c = await conversationWithHistory('dl_watermarkuser06');
    const ws = new WebSocket(streamAt(c, '99999'));
    const texts: string[] = [];
    ws.on('message', (data: Buffer) => {
      if (data.length === 0) return;
      const set = JSON.parse(data.toString()) as { activities: Array<{ text?: string }> };
      for (const a of set.activities) if (a.text) texts.push(a.text);
    });
    await new Promise((resolve) => ws.once('open', resolve));
    try {
      await c.send('one more question');
      await expect.poll(() => texts).toContain('one more question');
    } finally {
      ws.close();
    }
  });
});

describe('Direct Line uploads of another type', () => {
  it('say that an upload is multipart/form-data, not JSON (415)', async () => {
    const c = await openCustomerConversation(h.url, 'dl_watermarkuser04');
    const upload = (contentType: string) =>
      fetch(`${h.url}/v3/directline/conversations/${c.conversationId}/upload?userId=dl_watermarkuser04`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${c.token}`, 'Content-Type': contentType },
        body: 'a photo of the router',
      });
    for (const type of ['text/plain', 'multipart/form-data']) {
      const res = await upload(type);
      expect(res.status, type).toBe(415);
      const { error } = (await res.json()) as { error: { message: string } };
      expect(error.message, type).toMatch(/multipart\/form-data/);
      expect(error.message, type).not.toMatch(/application\/json/);
    }
  });
});
