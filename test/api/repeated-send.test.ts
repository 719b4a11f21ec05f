import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { SERVER_STORES } from '../support/stores.js';
import { signIn } from './support/clients.js';
import { liveConversation, type LiveConversation } from './support/live-conversation.js';

// An agent's message whose answer never came (a dropped connection, a 503 after the write) is sent
// again by the tab under the same `Idempotency-Key`: the customer must get it once, the transcript
// hold it once, and a message the first request stored without announcing it must still go out.

const CUSTOMER = { userId: 'dl_repeatsendcustomer', name: 'Robin Okafor' };

let server: TestServer;
let live: LiveConversation;

/** POST …/messages as the agent, with an Idempotency-Key when given. */
async function send(text: string, key?: string, visibility: 'public' | 'internal' = 'public') {
  const res = await fetch(`${server.url}/api/v1/conversations/${live.conversationId}/messages`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${live.agent.token}`,
      'Content-Type': 'application/json',
      ...(key === undefined ? {} : { 'Idempotency-Key': key }),
    },
    body: JSON.stringify({ text, visibility }),
  });
  return {
    status: res.status,
    body: (await res.json()) as { id: string; error: { code: string; message: string } },
  };
}

const transcript = async () =>
  (await live.agent.call('GET', `/conversations/${live.conversationId}/messages`)).body.items as Array<{
    id: string;
    text: string;
  }>;
/** The conversation's last message number: a repeat that finds its first takes none. */
const lastSeq = async () =>
  (await server.services.repos.conversations.get(live.conversationId))!.lastMessageSeq;
const announced = async (messageId: string) =>
  (await server.services.repos.events.byConversation(live.conversationId)).filter(
    (e) => e.type === 'message.added' && e.messageId === messageId,
  ).length;

/** What a request cut between its two writes leaves: Alex's message under the key, no event. */
async function storedNotAnnounced(text: string, clientKey: string) {
  const { message } = await server.services.repos.messages.append({
    conversationId: live.conversationId,
    author: 'agent',
    authorId: 'agent_alex',
    authorName: 'Alex Rivera',
    visibility: 'public',
    text,
    clientKey,
  });
  return message;
}

/** Everything the customer was sent up to a marker message sent after it (sends reach it in order). */
async function customerTexts(): Promise<string[]> {
  const marker = `marker ${Math.random()}`;
  expect((await send(marker)).status).toBe(201);
  await live.customer.waitFor('the marker', (a) => a.type === 'message' && a.text === marker);
  return live.customer.seen.filter((a) => a.type === 'message').map((a) => a.text ?? '');
}

describe.each(SERVER_STORES)("an agent's message sent again under its Idempotency-Key ($name)", (store) => {
  let stopStore: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const { env, stop } = await store.start('repeated_send');
    stopStore = stop;
    server = await startTestServer({ env: { AUTH_MODE: 'dev', ...env } });
    live = await liveConversation(server.url, 'agent_alex', CUSTOMER);
  }, 120_000);

  afterAll(async () => {
    live?.customer.end();
    await server?.close();
    await stopStore?.();
  });

  it('is stored, announced and sent to the customer once; the repeat gets the first message', async () => {
    const text = 'Let me check your line for you.';
    const first = await send(text, 'key-once-1');
    expect(first.status).toBe(201);
    const numbered = await lastSeq();
    const again = await send(text, 'key-once-1');
    expect(again).toEqual(first);
    expect(await lastSeq()).toBe(numbered);
    expect((await transcript()).filter((m) => m.text === text)).toHaveLength(1);
    expect(await announced(first.body.id)).toBe(1);
    expect((await customerTexts()).filter((t) => t === text)).toHaveLength(1);
  });

  it('sent twice at once, is stored and announced once', async () => {
    const text = 'I have refunded the last invoice.';
    const [a, b] = await Promise.all([send(text, 'key-together-1'), send(text, 'key-together-1')]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body.id).toBe(a.body.id);
    expect((await transcript()).filter((m) => m.text === text)).toHaveLength(1);
    expect(await announced(a.body.id)).toBe(1);
    expect((await customerTexts()).filter((t) => t === text)).toHaveLength(1);
  });

  it('goes out when the first request stored it and died before announcing it', async () => {
    const text = 'Your router is being reset now.';
    const message = await storedNotAnnounced(text, 'key-lost-1');
    expect(await announced(message.id)).toBe(0);
    const retry = await send(text, 'key-lost-1');
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(message.id);
    expect(await announced(message.id)).toBe(1);
    expect((await customerTexts()).filter((t) => t === text)).toHaveLength(1);
    // Announced once: a further repeat announces nothing more.
    await send(text, 'key-lost-1');
    expect(await announced(message.id)).toBe(1);
  });

  it('is not announced again when the first request wakes after its repeat announced it', async () => {
    const text = 'Your replacement router ships today.';
    // The first request stored the message and stalled; its client sent again (here, or to another
    // instance on the same store) and that request announced it.
    const message = await storedNotAnnounced(text, 'key-late-1');
    expect((await send(text, 'key-late-1')).body.id).toBe(message.id);
    const told: string[] = [];
    const stopListening = server.services.bus.on('message.added', (e) => told.push(e.messageId));
    // The first request wakes and announces it, as it was about to.
    const late = await server.services.bus.publish({
      type: 'message.added',
      conversationId: live.conversationId,
      messageId: message.id,
      messageSeq: message.seq,
      author: 'agent',
      visibility: 'public',
    });
    stopListening();
    expect(told).toEqual([]);
    expect(late).toMatchObject({ type: 'message.added', messageId: message.id });
    expect(await announced(message.id)).toBe(1);
    expect((await customerTexts()).filter((t) => t === text)).toHaveLength(1);
  });

  it('works for internal notes too, and a key is its author’s own', async () => {
    const note = 'Customer mentioned a refund last month.';
    const a = await send(note, 'key-note-1', 'internal');
    const numbered = await lastSeq();
    const b = await send(note, 'key-note-1', 'internal');
    expect(a.status).toBe(201);
    expect(b.body.id).toBe(a.body.id);
    expect(await lastSeq()).toBe(numbered);
    expect((await transcript()).filter((m) => m.text === note)).toHaveLength(1);
    // Sam (supervisor of the queue) may write internally; the same key is a different message of his.
    const sam = await signIn(server.url, 'supervisor_sam');
    const res = await fetch(`${server.url}/api/v1/conversations/${live.conversationId}/messages`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${sam.token}`,
        'Content-Type': 'application/json',
        'Idempotency-Key': 'key-note-1',
      },
      body: JSON.stringify({ text: note, visibility: 'internal' }),
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { id: string }).id).not.toBe(a.body.id);
    expect((await transcript()).filter((m) => m.text === note)).toHaveLength(2);
  });

  it('with other words, or with a key that is no key, is refused by name and stores nothing', async () => {
    await send('First words.', 'key-conflict-1');
    const before = await transcript();
    const other = await send('Other words.', 'key-conflict-1');
    expect(other.status).toBe(400);
    expect(other.body.error.code).toBe('message.idempotency_key_reused');
    for (const bad of ['has space', 'x'.repeat(129)]) {
      const res = await send('Hello', bad);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/^headers\.idempotency-key: /);
    }
    expect(await transcript()).toEqual(before);
  });

  it('without a key, the same words sent twice are two messages', async () => {
    const text = 'One moment please.';
    const a = await send(text);
    const b = await send(text);
    expect(a.body.id).not.toBe(b.body.id);
    expect((await transcript()).filter((m) => m.text === text)).toHaveLength(2);
  });
});
