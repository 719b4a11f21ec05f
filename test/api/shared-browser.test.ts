/**
 * Two guests on one browser share its Direct Line user id, so the server finds one customer record
 * for both: what the second types about themselves must not rename the first one's record, nor show
 * the second one's agent the first one's cases and notes, nor bring the first one's agent back as
 * "a returning customer". The same guest back stays one customer. Over the real server: Direct
 * Line, the bot's survey, routing and the agent API.
 */
import type { Activity } from 'botframework-directlinejs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import {
  customerOnDirectLine,
  openStream,
  signIn,
  type ApiClient,
  type Customer,
  type Json,
} from './support/clients.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
}, 60_000);
afterAll(() => server?.close());

interface Guest {
  name: string;
  email: string;
}

/** Only Alex is at his desk, so every hand-over goes to him, returning customer or not. */
async function onlyAlex(): Promise<ApiClient> {
  for (const other of ['agent_emma', 'agent_farah', 'agent_chen', 'supervisor_sam']) {
    await (await signIn(server.url, other)).call('PUT', '/me/presence', { presence: 'away' });
  }
  const alex = await signIn(server.url, 'agent_alex');
  await alex.call('PUT', '/me/presence', { presence: 'available' });
  return alex;
}

/**
 * A guest on the shared browser's user id (the widget sends no name of its own) writes, answers the
 * survey with their name and e-mail and asks for a person; Alex accepts. Resolves with the offer.
 */
async function chatFromTheBrowser(alex: ApiClient, guest: Guest): Promise<{ chat: Customer; offer: Json }> {
  const stream = await openStream(server.url, alex.token);
  try {
    const chat = await customerOnDirectLine(server.url, 'dl_shared_browser', '');
    await chat.post({ type: 'message', text: 'my internet is down since this morning' });
    await chat.waitFor('the pre-chat survey', (a) => a.type === 'event' && a.name === 'preChatSurvey');
    await chat.post({
      type: 'message',
      text: '',
      value: { preChat: { name: guest.name, email: guest.email, topic: 'Wi-Fi & equipment' } },
    } as Partial<Activity>);
    await chat.waitFor('the survey thanks', (a) => a.type === 'message' && /Thanks/.test(a.text ?? ''));
    await chat.post({ type: 'message', text: 'I want to talk to a person' });
    const offer = await stream.waitFor('the offer', (f) => f.type === 'offer.created', 30_000);
    expect((await alex.call('POST', `/offers/${offer.offerId as string}/accept`)).status).toBe(200);
    return { chat, offer };
  } finally {
    await stream.close();
  }
}

async function closeChat(alex: ApiClient, conversationId: string, chat: Customer): Promise<void> {
  expect((await alex.call('POST', `/conversations/${conversationId}/end`)).status).toBe(200);
  expect(
    (await alex.call('POST', `/conversations/${conversationId}/wrap-up`, { disposition: 'Resolved' })).status,
  ).toBe(200);
  chat.end();
}

describe('guests sharing a browser', () => {
  it('are two customers: the second neither renames the first nor sees their record', async () => {
    const alex = await onlyAlex();
    const annika = { name: 'Annika Lindqvist', email: 'annika@example.com' };
    const first = await chatFromTheBrowser(alex, annika);
    const a = first.offer.conversationId as string;
    expect(
      (await alex.call('POST', `/conversations/${a}/notes`, { text: 'ANNIKA-NOTE: in debt collection' }))
        .status,
    ).toBe(201);
    expect(
      (await alex.call('POST', `/conversations/${a}/case`, { title: 'Annika payment plan' })).status,
    ).toBeLessThan(300);
    await closeChat(alex, a, first.chat);
    const annikaId = (await alex.call('GET', `/conversations/${a}`)).body.customerId as string;

    const second = await chatFromTheBrowser(alex, { name: 'Bruno Castellanos', email: 'bruno@example.com' });
    const b = second.offer.conversationId as string;
    expect(second.offer.customerName).toBe('Bruno Castellanos');
    // Alex served this browser last, but not this customer.
    expect((second.offer.reason as Json).returning).toBeUndefined();

    const bruno = (await alex.call('GET', `/conversations/${b}`)).body;
    expect(bruno.customerId).not.toBe(annikaId);
    expect(bruno.customerName).toBe('Bruno Castellanos');
    // Nothing Bruno wrote carries Annika's name, the messages before the survey included.
    const messages = (await alex.call('GET', `/conversations/${b}/messages`)).body.items as Json[];
    expect(messages.filter((m) => m.from === 'customer').map((m) => m.authorName)).not.toContain(annika.name);

    const summary = (await alex.call('GET', `/conversations/${b}/customer`)).body;
    expect(summary.customer).toMatchObject({ name: 'Bruno Castellanos', email: 'bruno@example.com' });
    expect(summary.recentCases).toEqual([]);
    const timeline = (await alex.call('GET', `/customers/${bruno.customerId as string}/timeline`)).body;
    expect(JSON.stringify(timeline.items)).not.toMatch(/Annika|ANNIKA/);

    // Annika's record and chat are as she left them.
    const before = (await alex.call('GET', `/conversations/${a}`)).body;
    expect(before).toMatchObject({ customerId: annikaId, customerName: annika.name });
    const hers = (await alex.call('GET', `/conversations/${a}/customer`)).body;
    expect(hers.customer).toMatchObject({ name: annika.name, email: annika.email });
    await closeChat(alex, b, second.chat);

    // Annika back on the browser is Annika again: her record, and Alex as her returning agent.
    const again = await chatFromTheBrowser(alex, annika);
    const c = again.offer.conversationId as string;
    expect((await alex.call('GET', `/conversations/${c}`)).body.customerId).toBe(annikaId);
    expect((again.offer.reason as Json).returning).toBe(true);
    await closeChat(alex, c, again.chat);

    // And so is Bruno: his record, not a third one.
    const brunoAgain = await chatFromTheBrowser(alex, {
      name: 'Bruno Castellanos',
      email: 'bruno@example.com',
    });
    const d = brunoAgain.offer.conversationId as string;
    expect((await alex.call('GET', `/conversations/${d}`)).body.customerId).toBe(bruno.customerId);
    await closeChat(alex, d, brunoAgain.chat);
  }, 180_000);
});
