import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createActivityLog } from '../../bot/directline/activity-log.js';
import { openEmbeddedStore } from '../../services/store/index.js';
import { startAppHarness, type BotHarness } from './support/app-harness.js';

// Nothing acknowledged is lost. The channel answers `{ id }` once the activity is stored;
// if the server stops before the bot has it, the next start delivers it.

let dataDir = '';
let h: BotHarness | undefined;
afterAll(async () => {
  await h?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

it('delivers to the bot, after a restart, what a client had been acknowledged before the stop', async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'switchboard-recovery-'));
  // The state a crash leaves: the customer's activity stored and acknowledged, the bot never told.
  const store = await openEmbeddedStore(dataDir);
  const log = await createActivityLog(store);
  await log.create('dlconv_crashed', 'dl_crashedcustomer', new Date());
  await log.markStarted('dlconv_crashed');
  const acked = await log.append(
    'dlconv_crashed',
    {
      type: 'message',
      text: 'my router has a blinking red light',
      from: { id: 'dl_crashedcustomer', name: '', role: 'user' },
      channelId: 'directline',
      conversation: { id: 'dlconv_crashed', isGroup: false, conversationType: '', name: '' },
    },
    new Date(),
    { forBot: true },
  );
  await store.close();

  h = await startAppHarness({ dataDir });
  await expect
    .poll(async () => {
      const conversations = await h!.repos.conversations.find({}, { limit: 50 });
      const messages = (await Promise.all(conversations.map((c) => h!.repos.messages.list(c.id)))).flat();
      return messages.filter((m) => m.activityId === acked.id).map((m) => m.text);
    })
    .toEqual(['my router has a blinking red light']);
  await h.bot.idle();
  const stillOwed = await createActivityLog(h.store).then((l) => l.undelivered());
  expect(stillOwed).toEqual([]);
});
