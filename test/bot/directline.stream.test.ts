import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startAppHarness, type BotHarness } from './support/app-harness.js';
import { DEFAULT_LIMITS } from '../../bot/directline/index.js';
import { TEST_DIRECT_LINE_SECRET } from '../support/server.js';

// The Direct Line stream pushes ActivitySets. While the bot works on a customer's activity, an
// activity waits for the next one and they share a frame (the customer's own message and the
// bot's answer, most often) — and nothing ever waits beyond the bot's turn: every activity
// arrives, once, in order, with the watermark of the last one in its frame. The wait's bound is
// raised here so that a slow machine cannot split a pair.

let h: BotHarness;
const dl = () => `${h.url}/v3/directline`;

interface Frame {
  activities: Array<{ id: string; type: string; text?: string; name?: string; from: { role?: string } }>;
  watermark: string;
}

async function call(method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(`${dl()}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status).toBeLessThan(300);
  return (await res.json()) as Record<string, unknown>;
}

/** A started conversation with its stream open, collecting frames. */
async function customer(userId: string) {
  const generated = await call('POST', '/tokens/generate', TEST_DIRECT_LINE_SECRET, { user: { id: userId } });
  const started = await call('POST', '/conversations', generated.token as string);
  const frames: Frame[] = [];
  const ws = new WebSocket(started.streamUrl as string);
  ws.on('message', (data) => {
    const text = String(data);
    if (text) frames.push(JSON.parse(text) as Frame);
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const token = started.token as string;
  const conversationId = started.conversationId as string;
  const seen = () => frames.flatMap((f) => f.activities);
  return {
    frames,
    seen,
    post: async (activity: Record<string, unknown>) =>
      (await call('POST', `/conversations/${conversationId}/activities`, token, {
        from: { id: userId },
        ...activity,
      })) as { id: string },
    /** Everything the channel stored for the conversation, read back over REST. */
    stored: async () =>
      (await call('GET', `/conversations/${conversationId}/activities`, token))
        .activities as Frame['activities'],
    close: () => ws.close(),
  };
}

beforeAll(async () => {
  h = await startAppHarness({ directLineLimits: { ...DEFAULT_LIMITS, streamHoldMs: 60_000 } });
});
afterAll(async () => {
  await h?.close();
});

describe('the Direct Line stream', () => {
  it("sends the customer's message and the bot's answer in one frame", async () => {
    const c = await customer('dl_streamuser1');
    try {
      await expect.poll(() => c.seen().length, { timeout: 15_000 }).toBeGreaterThan(0);
      await h.bot.idle();
      const { id } = await c.post({ type: 'message', text: 'Dana Whitfield' });
      await expect
        .poll(() => c.seen().findIndex((a) => a.id === id), { timeout: 15_000 })
        .toBeGreaterThanOrEqual(0);
      await h.bot.idle();
      await expect.poll(() => c.seen().at(-1)?.from.role, { timeout: 15_000 }).toBe('bot');
      const frame = c.frames.find((f) => f.activities.some((a) => a.id === id))!;
      expect(frame.activities.map((a) => a.from.role)).toEqual(['user', 'bot']);
      expect(frame.watermark).toBe(frame.activities[1]!.id.split('|')[1]!.replace(/^0+/, ''));
    } finally {
      c.close();
    }
  });

  it('sends an activity the bot does not answer once its turn is over, and loses or repeats nothing', async () => {
    const c = await customer('dl_streamuser2');
    try {
      await h.bot.idle();
      const posted: Array<{ id: string }> = [];
      for (const activity of [
        { type: 'event', name: 'nothingTheBotKnows', value: { a: 1 } },
        { type: 'message', text: 'hello' },
        { type: 'event', name: 'nothingTheBotKnows', value: { a: 2 } },
      ]) {
        posted.push(await c.post(activity));
        await h.bot.idle();
      }
      const stored = await c.stored();
      await expect.poll(() => c.seen().length, { timeout: 15_000 }).toBe(stored.length);
      expect(c.seen().map((a) => a.id)).toEqual(stored.map((a) => a.id));
      for (const f of c.frames) {
        expect(f.watermark).toBe(String(Number(f.activities.at(-1)!.id.split('|')[1])));
      }
      // Each event had nothing to share its frame with; the message had the bot's answer.
      const first = c.frames.findIndex((f) => f.activities[0]!.id === posted[0]!.id);
      expect(c.frames.slice(first).map((f) => f.activities.map((a) => `${a.type}:${a.from.role}`))).toEqual([
        ['event:user'],
        ['message:user', 'message:bot'],
        ['event:user'],
      ]);
    } finally {
      c.close();
    }
  });
});
