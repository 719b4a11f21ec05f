/**
 * What the agent learns of a customer's past, over the real server (Direct Line, the bot's survey and
 * rating, routing, the agent API): whether this chat's customer was verified or only matched by what
 * a guest typed, whether their record holds earlier history, and a timeline that says who served each
 * past chat, how it ended and how it was rated, who wrote each note and each case's number.
 */
import type { Activity } from 'botframework-directlinejs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { openStream, signIn, type ApiClient, type Customer, type Json } from './support/clients.js';
import { liveConversation } from './support/live-conversation.js';
import { CHAT_AUTH_SECRET, chatAsksForAPerson, signChatToken, widgetToken } from './support/signed-in.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ env: { CHAT_AUTH_SECRET } });
}, 60_000);
afterAll(() => server?.close());

/** Ends the chat; the customer rates it `rating` before the agent wraps it up as `disposition`. */
async function endRated(
  agent: ApiClient,
  id: string,
  customer: Customer,
  rating: number,
  disposition: string,
) {
  expect((await agent.call('POST', `/conversations/${id}/end`)).status).toBe(200);
  await customer.waitFor('the rating question', (a) => a.type === 'event' && a.name === 'postChatSurvey');
  await customer.post({
    type: 'message',
    text: `Rated ${rating} out of 5`,
    value: { csat: { rating } },
  } as Partial<Activity>);
  // The rating is stored once the bot thanks the customer for it.
  await customer.waitFor(
    'the thanks for the rating',
    (a) => a.type === 'message' && /feedback/.test(a.text ?? ''),
  );
  expect((await agent.call('POST', `/conversations/${id}/wrap-up`, { disposition })).status).toBe(200);
  customer.end();
}

describe("a customer's past, as the agent reads it", () => {
  it('marks a guest matched by typed details to a record with history, and lists that history in full', async () => {
    const guest = { userId: 'dl_history_pat', name: 'Pat Morales' };
    const first = await liveConversation(server.url, 'agent_alex', guest);
    const alex = first.agent;
    const a = first.conversationId;
    expect(
      (await alex.call('POST', `/conversations/${a}/notes`, { text: 'Prefers a call back' })).status,
    ).toBe(201);
    const opened = await alex.call('POST', `/conversations/${a}/case`, { title: 'Router replacement' });
    expect(opened.status).toBeLessThan(300);

    // Before any earlier chat, the record holds only this one's case: nothing from before.
    const fresh = (await alex.call('GET', `/conversations/${a}/customer`)).body;
    expect(fresh).toMatchObject({ verified: false, matchedBy: 'typed-details', earlierHistory: false });
    await endRated(alex, a, first.customer, 3, 'Router sent');

    // Someone on the same browser types Pat's details: the same record, its history with it.
    const second = await liveConversation(server.url, 'agent_alex', guest);
    const b = second.conversationId;
    const summary = (await alex.call('GET', `/conversations/${b}/customer`)).body;
    expect(summary.customer.name).toBe('Pat Morales');
    expect(summary).toMatchObject({ verified: false, matchedBy: 'typed-details', earlierHistory: true });

    const customerId = summary.customer.id as string;
    const items = (await alex.call('GET', `/customers/${customerId}/timeline`)).body.items as Json[];
    expect(items.find((i) => i.id === a)).toMatchObject({
      kind: 'conversation',
      status: 'closed',
      agentName: 'Alex Rivera',
      disposition: 'Router sent',
      rating: 3,
    });
    expect(items.find((i) => i.kind === 'note')).toMatchObject({
      title: 'Prefers a call back',
      authorName: 'Alex Rivera',
      conversationId: a,
    });
    expect(items.find((i) => i.kind === 'case')).toMatchObject({
      caseNumber: opened.body.number,
      status: opened.body.status,
    });
    // The chat under way has its agent and nothing it does not have yet.
    const current = items.find((i) => i.id === b);
    expect(current).toMatchObject({ status: 'active', agentName: 'Alex Rivera' });
    expect(current).not.toHaveProperty('rating');
    expect(current).not.toHaveProperty('disposition');
    second.customer.end();
  }, 120_000);

  it('says a customer the site signed in is verified', async () => {
    for (const other of ['agent_emma', 'agent_farah', 'agent_chen', 'supervisor_sam'])
      await (await signIn(server.url, other)).call('PUT', '/me/presence', { presence: 'away' });
    const alex = await signIn(server.url, 'agent_alex');
    await alex.call('PUT', '/me/presence', { presence: 'available' });
    const stream = await openStream(server.url, alex.token);
    try {
      const token = await signChatToken({ name: 'Jordan Lee', email: 'jordan@northwind.example' });
      const widget = await widgetToken(server.url, { authToken: token });
      expect(widget.status).toBe(200);
      await chatAsksForAPerson(server.url, widget.body.token as string, 'Jordan Lee');
      const offer = await stream.waitFor(
        'the offer for Jordan',
        (f) => f.type === 'offer.created' && f.customerName === 'Jordan Lee',
        30_000,
      );
      const id = offer.conversationId as string;
      expect((await alex.call('POST', `/offers/${offer.offerId as string}/accept`)).status).toBe(200);
      const summary = (await alex.call('GET', `/conversations/${id}/customer`)).body;
      expect(summary).toMatchObject({ verified: true, matchedBy: 'sign-in', earlierHistory: false });
    } finally {
      await stream.close();
    }
  }, 120_000);
});
