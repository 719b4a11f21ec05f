import type { ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCongo, type RunningCongo } from '../store/congo.js';
import { callDirectLine } from '../bot/support/directline-http.js';
import { png } from '../support/sample-files.js';
import { exited } from '../support/server-process.js';
import { serverInstances } from './support/instances.js';
import { customerPastSurvey } from './support/live-conversation.js';
import { openStream, signIn, until as waitUntil, type ApiClient, type Json } from './support/clients.js';

// Two server processes (`services/main.ts`, as `npm start` runs it) on one MongoDB-compatible store
// (CongoDB): a customer's chat begins on instance A, the agent works on instance B, and A is killed
// (SIGKILL) and stays down. Everything A had acknowledged, and everything the agent says from then
// on, must still get across through B alone.

const instances = serverInstances();
let congo: RunningCongo;

/** A hang guard, not a deadline: a takeover waits out the grace period first. */
const until = <T>(what: string, probe: () => Promise<T | undefined | false>) =>
  waitUntil(what, probe, 90_000);

let a: { child: ChildProcess; base: string };
let b: { child: ChildProcess; base: string };
let alex: ApiClient;
let conversationId: string;
let chat: { conversationId: string; token: string; userId: string };

beforeAll(async () => {
  congo = await startCongo();
  const uri = congo.uri('switchboard_failover');
  // One after the other: the first loads the demo company into the empty store.
  a = await instances.start('a', uri);
  b = await instances.start('b', uri);

  // Alex alone at his desk, on B; the customer's chat begins on A.
  for (const other of ['agent_emma', 'agent_farah', 'agent_chen', 'supervisor_sam', 'agent_alex']) {
    await (await signIn(b.base, other)).call('PUT', '/me/presence', { presence: 'away' });
  }
  alex = await signIn(b.base, 'agent_alex');
  const stream = await openStream(b.base, alex.token);
  await alex.call('PUT', '/me/presence', { presence: 'available' });
  const customer = await customerPastSurvey(a.base, { userId: 'dl_failover01', name: 'Fay' });
  await customer.post({ type: 'message', text: 'I want to talk to an agent' });
  // The other instance's routing may pick the customer up at its next sweep: a generous guard.
  const offer = await stream.waitFor('the offer', (f) => f.type === 'offer.created', 60_000);
  await stream.close();
  conversationId = offer.conversationId as string;
  expect((await alex.call('POST', `/offers/${offer.offerId as string}/accept`)).status).toBe(200);
  await customer.waitFor('the agent joined', (x) => x.type === 'event' && x.name === 'agentJoined', 30_000);
  chat = customer.session();
  // From here on the customer is read over REST: A's stream dies with A.
  customer.end();
}, 400_000);

afterAll(async () => {
  await instances.stopAll();
  await congo?.stop();
});

/** The texts of the messages the customer's channel conversation holds, read through B. */
async function customerSees(): Promise<Json[]> {
  const res = await callDirectLine(
    b.base,
    'GET',
    `/conversations/${chat.conversationId}/activities`,
    chat.token,
  );
  expect(res.status).toBe(200);
  return (res.body.activities as Json[]).filter((x) => x.type === 'message');
}

async function transcript(): Promise<string[]> {
  const res = await alex.call('GET', `/conversations/${conversationId}/messages`);
  expect(res.status).toBe(200);
  return (res.body.items as Json[]).map((m) => m.text as string);
}

describe('an instance killed while its customer chats, the other running on', () => {
  it('delivers to the agent every customer message the killed instance had acknowledged, once, in order', async () => {
    // A burst: the bot takes them one after the other, so some are still owed when A dies.
    const texts = Array.from({ length: 12 }, (_, i) => `burst ${String(i + 1).padStart(2, '0')}`);
    const acked = await Promise.all(
      texts.map((text, i) =>
        callDirectLine(a.base, 'POST', `/conversations/${chat.conversationId}/activities`, chat.token, {
          type: 'message',
          from: { id: chat.userId },
          text,
          channelData: { clientActivityId: `failover-burst-${i}` },
        }),
      ),
    );
    a.child.kill('SIGKILL');
    await exited(a.child);
    expect(acked.map((r) => r.status)).toEqual(texts.map(() => 200));

    // B takes over what A had not delivered, without A ever coming back.
    const got = await until('every acknowledged message in the transcript', async () => {
      const all = await transcript();
      return texts.every((t) => all.includes(t)) && all;
    });
    // In the order the channel numbered them (they were sent at once), each once.
    const numbered = (await customerSees())
      .map((x) => x.text as string)
      .filter((t) => t.startsWith('burst '));
    expect(numbered).toHaveLength(texts.length);
    expect(got.filter((t) => t.startsWith('burst '))).toEqual(numbered);
  }, 180_000);

  it("sends the agent's message to the customer whose instance is down", async () => {
    const sent = await alex.call('POST', `/conversations/${conversationId}/messages`, {
      text: 'while A is down',
      visibility: 'public',
    });
    expect(sent.status).toBe(201);
    const seen = await until('the message on the customer side', async () =>
      (await customerSees()).find((x) => x.text === 'while A is down'),
    );
    expect(seen.from.name).toBe('Alex Rivera');
  }, 120_000);

  it('sends the files the agent sends as files the customer opens, not as a note', async () => {
    const form = new FormData();
    form.append('text', 'the diagram');
    form.append('file', new Blob([new Uint8Array(png(4))], { type: 'image/png' }), 'wiring.png');
    const res = await fetch(`${b.base}/api/v1/conversations/${conversationId}/files`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${alex.token}` },
      body: form,
    });
    expect(res.status).toBe(201);
    const seen = await until('the files on the customer side', async () =>
      (await customerSees()).find((x) => (x.text as string | undefined)?.startsWith('the diagram')),
    );
    expect(seen.text).toBe('the diagram');
    expect(seen.attachments).toEqual([
      expect.objectContaining({ name: 'wiring.png', contentType: 'image/png' }),
    ]);
    // Opened where the customer is now: B, with the conversation's token.
    const url = seen.attachments[0].contentUrl as string;
    expect(url.startsWith(`${b.base}/v3/directline/`)).toBe(true);
    const file = await fetch(url, { headers: { Authorization: `Bearer ${chat.token}` } });
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(png(4))).toBe(true);
  }, 120_000);

  it("sends an agent's messages its customer's channel refused once it takes them, once each, in order", async () => {
    // A customer on another channel (an emulator on this machine) whose channel turns the relay's
    // sends away for a while (429) and then takes them again.
    const channel = await fakeChannel();
    const conversation = { id: 'emulator-failover-1' };
    const customer = { id: 'emu-customer', name: 'Emil' };
    const say = async (fields: Record<string, unknown>) => {
      const res = await fetch(`${b.base}/api/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          type: 'message',
          id: `emu-${Math.random().toString(36).slice(2)}`,
          channelId: 'emulator',
          serviceUrl: channel.url,
          from: customer,
          recipient: { id: 'switchboard-bot' },
          conversation,
          ...fields,
        }),
      });
      expect(res.status).toBe(200);
    };
    try {
      const stream = await openStream(b.base, alex.token);
      await say({ type: 'conversationUpdate', membersAdded: [customer] });
      await say({
        value: { preChat: { name: 'Emil Berg', email: 'emil@example.com', topic: 'Wi-Fi & equipment' } },
      });
      await until('the thanks for the survey', async () => channel.texts().some((t) => t.includes('Thanks')));
      await say({ text: 'I want to talk to an agent' });
      const offer = await stream.waitFor(
        'the offer',
        (f) => f.type === 'offer.created' && f.conversationId !== conversationId,
        60_000,
      );
      await stream.close();
      const emulated = offer.conversationId as string;
      expect((await alex.call('POST', `/offers/${offer.offerId as string}/accept`)).status).toBe(200);
      await until('the agent joined', async () => channel.texts().some((t) => t.includes('Alex')));

      channel.busy = true;
      const send = async (text: string) =>
        expect(
          (await alex.call('POST', `/conversations/${emulated}/messages`, { text, visibility: 'public' }))
            .status,
        ).toBe(201);
      await send('first, refused');
      await until('the refused send', async () => channel.refused.includes('first, refused'));
      await send('second, while refused');
      channel.busy = false;
      await send('third, taken');
      const taken = await until('all three on the customer side', async () => {
        const all = channel.texts();
        return (
          all.includes('first, refused') &&
          all.includes('second, while refused') &&
          all.includes('third, taken') &&
          all
        );
      });
      expect(taken.filter((t) => /refused|taken/.test(t))).toEqual([
        'first, refused',
        'second, while refused',
        'third, taken',
      ]);
    } finally {
      await channel.close();
    }
  }, 180_000);
});

/**
 * A Bot Connector channel on this machine: it answers the bot's sends with their ids, or, while
 * `busy`, with 429 (no Retry-After, so the bot's HTTP client does not retry it by itself).
 */
async function fakeChannel() {
  const taken: string[] = [];
  const refused: string[] = [];
  const channel = {
    busy: false,
    refused,
    url: '',
    texts: () => [...taken],
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const activity = (body ? JSON.parse(body) : {}) as { type?: string; text?: string };
      const text = activity.type === 'message' ? (activity.text ?? '') : undefined;
      if (channel.busy) {
        if (text !== undefined) refused.push(text);
        res.writeHead(429, { 'Content-Type': 'application/json' });
        res.end('{}');
        return;
      }
      if (text !== undefined) taken.push(text);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ id: `fake-${taken.length}-${Date.now()}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  channel.url = `http://127.0.0.1:${port}`;
  return channel;
}
