import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startAppHarness, type BotHarness } from './support/app-harness.js';
import { callDirectLine } from './support/directline-http.js';

// Tokens, activities and the bot's place in the dialog are stored, so a customer whose server
// restarted reconnects with the token they hold and continues from their watermark.

let dataDir = '';
let h: BotHarness | undefined;
afterAll(async () => {
  await h?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

type Act = { type: string; name?: string; text?: string; from: { id: string } };

it('reconnects after a server restart and carries on from its watermark', async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'switchboard-restart-'));
  h = await startAppHarness({ dataDir });
  const generated = await callDirectLine(h.url, 'POST', '/tokens/generate', undefined, {
    user: { id: 'dl_restartuser01' },
  });
  const started = await callDirectLine(h.url, 'POST', '/conversations', generated.body.token as string);
  const { conversationId, token } = started.body as { conversationId: string; token: string };
  await callDirectLine(h.url, 'POST', `/conversations/${conversationId}/activities`, token, {
    type: 'message',
    value: { preChat: { name: 'Rae', email: 'rae@example.com', topic: 'Billing' } },
  });
  await h.bot.idle();
  const before = await callDirectLine(h.url, 'GET', `/conversations/${conversationId}/activities`, token);
  const watermark = before.body.watermark as string;
  expect(
    (before.body.activities as Act[]).some((a) => a.text === 'Thanks, Rae! How can I help you today?'),
  ).toBe(true);

  await h.close();
  h = await startAppHarness({ dataDir });

  const reconnected = await callDirectLine(
    h.url,
    'GET',
    `/conversations/${conversationId}?watermark=${watermark}`,
    token,
  );
  expect(reconnected.status).toBe(200);
  const streamUrl = reconnected.body.streamUrl as string;
  expect(streamUrl).toContain(`watermark=${watermark}`);

  const received: Act[] = [];
  const ws = new WebSocket(streamUrl);
  ws.on('message', (data) => {
    const text = String(data);
    if (text) received.push(...(JSON.parse(text) as { activities: Act[] }).activities);
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });

  const sent = await callDirectLine(
    h.url,
    'POST',
    `/conversations/${conversationId}/activities`,
    reconnected.body.token as string,
    {
      type: 'message',
      text: 'my router has a blinking red light',
    },
  );
  expect(sent.status).toBe(200);
  await expect.poll(() => received.some((a) => a.text === 'Did that help?'), { timeout: 5000 }).toBe(true);
  ws.close();

  // Only what came after the watermark: the customer's own message and the bot's new answer.
  expect(received.map((a) => a.text)).not.toContain('Thanks, Rae! How can I help you today?');
  expect(received[0]).toMatchObject({
    type: 'message',
    text: 'my router has a blinking red light',
    from: { id: 'dl_restartuser01' },
  });
});
