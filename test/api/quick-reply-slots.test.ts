/**
 * A slot is a slot however the person who wrote the quick reply spelled its name: `{Case Number}`
 * is filled with the case's number once there is one, and before that it is listed as unfilled and
 * never reaches the customer (a macro refuses to send it), as `{caseNumber}` is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import type { Json } from './support/clients.js';
import { liveConversation, type LiveConversation } from './support/live-conversation.js';

let server: TestServer;
let live: LiveConversation;
let replyId: string;

beforeAll(async () => {
  server = await startTestServer({ env: { AUTH_MODE: 'dev' } });
  replyId = (
    await server.services.repos.quickReplies.create({
      title: 'Case reference',
      text: 'Thanks {customer name}, your case is {Case Number}. Quote {Ticket ID} when you call.',
      tags: ['case'],
    })
  ).id;
  live = await liveConversation(server.url, 'agent_alex', { userId: 'dl_qr_slots', name: 'Lena Slot' });
}, 120_000);

afterAll(async () => {
  live?.customer.end();
  await server?.close();
});

const theReply = async (): Promise<Json> => {
  const r = await live.agent.call('GET', `/conversations/${live.conversationId}/quick-replies?q=reference`);
  expect(r.status).toBe(200);
  return (r.body.items as Json[]).find((i) => i.id === replyId);
};

describe('a slot written with spaces or capitals', () => {
  it('is listed as unfilled before the chat has a case, and a macro does not send it', async () => {
    expect(await theReply()).toMatchObject({
      filled: 'Thanks Lena Slot, your case is {Case Number}. Quote {Ticket ID} when you call.',
      unfilled: ['Case Number', 'Ticket ID'],
    });

    const macro = await server.services.repos.macros.create({
      name: 'Tell the case reference',
      actions: [{ type: 'send-quick-reply', quickReplyId: replyId }],
    });
    const r = await live.agent.call('POST', `/conversations/${live.conversationId}/macros/${macro.id}/run`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.results).toEqual([
      {
        action: 'send-quick-reply',
        outcome: 'failed',
        message: 'Quick reply "Case reference" needs {Case Number}, {Ticket ID}; send it by hand',
      },
    ]);
    const messages = await live.agent.call('GET', `/conversations/${live.conversationId}/messages`);
    const toCustomer = (messages.body.items as Json[]).filter(
      (m) => m.author === 'agent' && m.visibility === 'public',
    );
    expect(toCustomer).toEqual([]);
  });

  it("is filled with the case's number once one is linked; a name no conversation knows stays listed", async () => {
    const opened = await live.agent.call('POST', `/conversations/${live.conversationId}/case`, {
      title: 'Router drops Wi-Fi',
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    expect(await theReply()).toMatchObject({
      filled: `Thanks Lena Slot, your case is ${opened.body.number as string}. Quote {Ticket ID} when you call.`,
      unfilled: ['Ticket ID'],
    });
  });
});
