import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivityLog } from '../../bot/directline/activity-log.js';
import { SERVER_STORES } from '../support/stores.js';
import { startAppHarness, type BotHarness } from './support/app-harness.js';
import { callDirectLine, openCustomerConversation } from './support/directline-http.js';

// A client that cannot tell whether its message was stored — the answer was a 503, or the
// connection dropped before it came — sends it again with the same client id (the widget's
// `channelData.clientActivityId`, Web Chat's `clientActivityID`). The customer's message must then
// be in the chat once, reach the bot once, and still reach it if the first request died after the
// write.

let h: BotHarness;

async function conversation(userId: string) {
  const c = await openCustomerConversation(h.url, userId);
  const post = (body: Record<string, unknown>) =>
    callDirectLine(h.url, 'POST', `/conversations/${c.conversationId}/activities`, c.token, {
      type: 'message',
      from: { id: userId },
      ...body,
    });
  const activities = async () => {
    const got = await callDirectLine(
      h.url,
      'GET',
      `/conversations/${c.conversationId}/activities?watermark=0`,
      c.token,
    );
    return got.body.activities as Array<{ id: string; text?: string; from: { role?: string } }>;
  };
  /** The customer's messages as Switchboard's conversation holds them (what agents read). */
  const customerMessages = async (text: string) => {
    await h.bot.idle();
    const stored = await h.repos.conversations.find({}, { limit: 200 });
    const all = (await Promise.all(stored.map((s) => h.repos.messages.list(s.id)))).flat();
    return all.filter((m) => m.text === text && m.activityId?.startsWith(c.conversationId));
  };
  return { ...c, post, activities, customerMessages };
}

describe.each(SERVER_STORES)('a send repeated with the same client id ($name)', (store) => {
  let stopStore: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const { env, stop } = await store.start('dl_repeated_send');
    stopStore = stop;
    h = await startAppHarness({ env });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await stopStore?.();
  });

  it("stores the bot's repeat once, under ids apart from the customer's", async () => {
    const c = await conversation('dl_repeat_bot_ids');
    // The customer takes an id first; the bot's send under the same id is still stored.
    expect(
      (await c.post({ text: 'hello there', channelData: { clientActivityId: 'shared-id-1' } })).status,
    ).toBe(200);
    await h.bot.idle();
    const fromBot = {
      type: 'message',
      text: 'From the agent.',
      channelData: { clientActivityId: 'shared-id-1' },
    };
    const first = await h.bot.directLine.postFromBot(c.conversationId, fromBot);
    // Sent again (the customer relay after a restart): the first one's id, nothing new in the chat.
    const again = await h.bot.directLine.postFromBot(c.conversationId, fromBot);
    expect(again.id).toBe(first.id);
    const all = await c.activities();
    expect(all.filter((a) => a.text === 'From the agent.').map((a) => a.id)).toEqual([first.id]);
    expect(all.filter((a) => a.text === 'hello there')).toHaveLength(1);
  });

  it('is stored once and answered once; the repeat gets the first one’s id', async () => {
    const c = await conversation('dl_repeat_sequential');
    const text = 'what are your opening hours?';
    const first = await c.post({ text, channelData: { clientActivityId: 'cid-seq-1' } });
    expect(first.status).toBe(200);
    await h.bot.idle();
    const before = await c.activities();
    expect(before.some((a) => a.from.role === 'bot' && a.id > (first.body.id as string))).toBe(true);

    const again = await c.post({ text, channelData: { clientActivityId: 'cid-seq-1' } });
    expect(again).toEqual({ status: 200, body: { id: first.body.id } });
    await h.bot.idle();
    expect(await c.activities()).toEqual(before);
    expect(await c.customerMessages(text)).toHaveLength(1);
  });

  it('sent twice at once, is stored once', async () => {
    const c = await conversation('dl_repeat_concurrent');
    const text = 'my parcel never arrived';
    const body = { text, channelData: { clientActivityID: 'webchat-style-1' } };
    const [a, b] = await Promise.all([c.post(body), c.post(body)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.id).toBe(b.body.id);
    await h.bot.idle();
    expect((await c.activities()).filter((x) => x.text === text)).toHaveLength(1);
    expect(await c.customerMessages(text)).toHaveLength(1);
  });

  it('reaches the bot when the first request stored it and died before delivering it', async () => {
    const c = await conversation('dl_repeat_lost_answer');
    const text = 'is my order on its way?';
    // What a connection cut after the write leaves: stored under the client id, owed to the bot,
    // and nobody delivering it (another log instance writes it, as another server would).
    const other = await createActivityLog(h.store);
    const stored = await other.append(
      c.conversationId,
      {
        type: 'message',
        text,
        from: { id: 'dl_repeat_lost_answer', name: '', role: 'user' },
        channelId: 'directline',
        conversation: { id: c.conversationId, isGroup: false, conversationType: '', name: '' },
        channelData: { clientActivityId: 'cid-lost-1' },
      },
      new Date(),
      { forBot: true, clientId: 'cid-lost-1' },
    );
    expect(await c.customerMessages(text)).toEqual([]);

    const retry = await c.post({ text, channelData: { clientActivityId: 'cid-lost-1' } });
    expect(retry).toEqual({ status: 200, body: { id: stored.id } });
    await expect.poll(async () => (await c.customerMessages(text)).length).toBe(1);
    expect((await c.activities()).filter((x) => x.text === text)).toHaveLength(1);
    expect(await other.undelivered()).toEqual([]);

    // Once delivered, a further repeat takes it to the bot no more.
    await c.post({ text, channelData: { clientActivityId: 'cid-lost-1' } });
    expect(await c.customerMessages(text)).toHaveLength(1);
  });

  it('with a different message is refused, naming the client id, and stores nothing', async () => {
    const c = await conversation('dl_repeat_conflict');
    await c.post({ text: 'first words', channelData: { clientActivityId: 'cid-conflict' } });
    await h.bot.idle();
    const before = await c.activities();
    const other = await c.post({ text: 'other words', channelData: { clientActivityId: 'cid-conflict' } });
    expect(other.status).toBe(400);
    expect(JSON.stringify(other.body)).toContain('cid-conflict');
    expect(await c.activities()).toEqual(before);
  });

  it('a client id that is not a short string is refused by name', async () => {
    const c = await conversation('dl_repeat_bad_id');
    await h.bot.idle();
    const before = await c.activities();
    for (const bad of [42, '', 'x'.repeat(129)]) {
      const res = await c.post({ text: 'hello', channelData: { clientActivityId: bad } });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain('channelData.clientActivityId');
    }
    expect(await c.activities()).toEqual(before);
  });

  it('without a client id, the same words sent twice are two messages', async () => {
    const c = await conversation('dl_repeat_no_id');
    const text = 'hello again';
    const a = await c.post({ text });
    const b = await c.post({ text });
    expect(a.body.id).not.toBe(b.body.id);
    expect(await c.customerMessages(text)).toHaveLength(2);
  });
});
