import type { Activity } from 'botframework-directlinejs';
import { expect } from 'vitest';
import { customerOnDirectLine, openStream, signIn, until, type Json } from './support/clients.js';

// The acceptance flow of the agent API, written once and run against one server and against two
// server processes sharing a store: `customerBase` is where the customer chats, `agentBase` where
// agents and the supervisor work.

export const ALEX = 'agent_alex';
export const CHEN = 'agent_chen';
export const SAM = 'supervisor_sam';
export const TECHNICAL = 'queue_technical';

export interface FlowResult {
  conversationId: string;
  customerTexts: string[];
}

export async function runEscalationFlow(
  customerBase: string,
  agentBase: string,
  userId: string,
): Promise<FlowResult> {
  const alex = await signIn(agentBase, ALEX);
  const chen = await signIn(agentBase, CHEN);
  const sam = await signIn(agentBase, SAM);
  // Only Alex will be at their desk: everyone else in Technical support is away; Sam is
  // in Do not disturb (signed in, no offers, reachable for a consult).
  for (const id of ['agent_emma', 'agent_farah', CHEN, ALEX]) {
    const other = await signIn(agentBase, id);
    expect((await other.call('PUT', '/me/presence', { presence: 'away' })).status).toBe(200);
  }
  expect((await sam.call('PUT', '/me/presence', { presence: 'do-not-disturb' })).body.presence).toBe(
    'do-not-disturb',
  );
  const alexStream = await openStream(agentBase, alex.token);
  const samStream = await openStream(agentBase, sam.token);
  const chenStream = await openStream(agentBase, chen.token);
  const before = (await sam.call('GET', '/supervisor/realtime')).body.items.find(
    (q: Json) => q.queueId === TECHNICAL,
  );

  // Alex goes Available. (A queue nobody staffs would turn the customer away at once: the demo
  // queue's expected-wait overflow ends the chat with a message instead of queueing forever.)
  expect((await alex.call('PUT', '/me/presence', { presence: 'available' })).body).toMatchObject({
    presence: 'available',
    presenceLabel: 'Available',
  });

  // The customer, on Direct Line, answers the pre-chat survey and asks for a person.
  const customer = await customerOnDirectLine(customerBase, userId, 'Dana');
  const fromBot = (a: Activity) => a.from.id !== userId;
  const said = (text: string) => (a: Activity) =>
    a.type === 'message' && fromBot(a) && (a.text ?? '').includes(text);
  await customer.post({
    type: 'event',
    name: 'visitorContext',
    value: { visitor: { browser: 'Firefox', authenticated: false } },
  } as Partial<Activity>);
  await customer.waitFor('the pre-chat survey', (a) => a.type === 'event' && a.name === 'preChatSurvey');
  await customer.post({
    type: 'message',
    text: '',
    value: { preChat: { name: 'Dana Whitfield', email: 'dana@example.com', topic: 'Wi-Fi & equipment' } },
  } as Partial<Activity>);
  await customer.waitFor('thanks for the survey', said('Thanks, Dana!'));
  await customer.post({ type: 'message', text: 'I want to talk to an agent' });

  // Alex gets the offer, with the reason routing chose him, on the live stream.
  // With the agents on another instance, the offer may wait for that instance's routing sweep, which
  // re-reads waiting items every few seconds — slower on a loaded machine: a generous hang guard.
  const offer = await alexStream.waitFor('the offer', (f) => f.type === 'offer.created', 60_000);
  const conversationId = offer.conversationId as string;
  expect(offer.reason).toMatchObject({ presence: 'available', freeUnits: 100, method: expect.any(String) });
  expect(offer.reason.summary).toMatch(/Technical/);
  expect(offer.customerName).toBe('Dana Whitfield');

  // The supervisor sees it in the queue, and the queue's figures moved.
  const waiting = await until('the conversation on the supervisor board', async () => {
    const items = (await sam.call('GET', '/supervisor/conversations')).body.items as Json[];
    return items.find((c) => c.id === conversationId && c.status === 'offered');
  });
  expect(waiting).toMatchObject({ queueId: TECHNICAL, agentId: ALEX, customerName: 'Dana Whitfield' });
  const queued = (await sam.call('GET', '/supervisor/realtime')).body.items.find(
    (q: Json) => q.queueId === TECHNICAL,
  );
  expect(queued.contactsInQueue).toBe(before.contactsInQueue + 1);

  const stored = (await alex.call('GET', '/offers')).body.items[0];
  expect(stored).toMatchObject({ offerId: offer.offerId, reason: offer.reason });

  const accepted = await alex.call('POST', `/offers/${offer.offerId}/accept`);
  expect(accepted).toMatchObject({
    status: 200,
    body: { id: conversationId, status: 'active', agentId: ALEX },
  });
  expect((await alex.call('POST', `/offers/${offer.offerId}/accept`)).status).toBe(409);
  await alexStream.waitFor(
    'offer closed as accepted',
    (f) => f.type === 'offer.closed' && f.outcome === 'accepted',
  );
  await customer.waitFor('the agent joined', (a) => a.type === 'event' && a.name === 'agentJoined');
  const onContact = (await sam.call('GET', '/supervisor/realtime')).body.items.find(
    (q: Json) => q.queueId === TECHNICAL,
  );
  expect(onContact.agentsOnContact).toBe(before.agentsOnContact + 1);
  expect(onContact.contactsInQueue).toBe(before.contactsInQueue);

  // Internal first, then public: the customer gets the public reply and never the internal one.
  expect(
    (
      await alex.call('POST', `/conversations/${conversationId}/messages`, {
        text: 'INTERNAL: line test shows loss',
        visibility: 'internal',
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await alex.call('POST', `/conversations/${conversationId}/messages`, {
        text: 'Hi Dana, let me reset your line.',
        visibility: 'public',
      })
    ).status,
  ).toBe(201);
  const reply = await customer.waitFor('the public reply', said('let me reset your line'));
  // On the bot's account under the agent's name: the customer sees a person took over.
  expect(reply.from).toMatchObject({ name: 'Alex Rivera', role: 'bot' });
  await alexStream.waitFor(
    'his internal note on the stream',
    (f) => f.type === 'conversation.message' && f.message.visibility === 'internal',
  );

  // The customer is upset: the live sentiment moves, the supervisor sees it and gets an alert.
  await customer.post({
    type: 'message',
    text: 'This is terrible, the worst service ever. I am furious and want to cancel!',
  });
  await samStream.waitFor(
    'a sentiment alert',
    (f) => f.type === 'alert' && f.conversationId === conversationId,
  );
  const board = await until('negative sentiment on the board', async () => {
    const items = (await sam.call('GET', '/supervisor/conversations')).body.items as Json[];
    const row = items.find((c) => c.id === conversationId);
    return row && /negative/.test(row.sentiment) ? row : undefined;
  });
  expect(board).toMatchObject({ status: 'active', agentId: ALEX, agentName: 'Alex Rivera' });
  expect(board.alerts).toBeGreaterThanOrEqual(1);

  // Alex consults Sam, who joins as consult and writes internally, then leaves.
  const consulted = await alex.call('POST', `/conversations/${conversationId}/consult`, { agentId: SAM });
  expect(consulted.status).toBe(200);
  expect(consulted.body.participants).toContainEqual(
    expect.objectContaining({ agentId: SAM, mode: 'consult' }),
  );
  await samStream.waitFor(
    'joined as consult',
    (f) => f.type === 'conversation.assigned' && f.mode === 'consult',
  );
  expect(
    (
      await sam.call('POST', `/conversations/${conversationId}/messages`, {
        text: 'INTERNAL: offer a credit',
        visibility: 'internal',
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await sam.call('POST', `/conversations/${conversationId}/messages`, {
        text: 'psst',
        visibility: 'public',
      })
    ).status,
  ).toBe(403);
  await alexStream.waitFor(
    "Sam's note",
    (f) => f.type === 'conversation.message' && f.message.text === 'INTERNAL: offer a credit',
  );
  expect((await sam.call('POST', `/conversations/${conversationId}/leave`)).status).toBe(200);

  // Alex opts out of Technical and transfers the chat back to its queue; Chen, Available, accepts.
  expect((await alex.call('PUT', `/me/queues/${TECHNICAL}`, { optedIn: false })).body.queues).toContainEqual({
    id: TECHNICAL,
    name: expect.any(String),
    optedIn: false,
  });
  expect((await chen.call('PUT', '/me/presence', { presence: 'available' })).status).toBe(200);
  const moved = await alex.call('POST', `/conversations/${conversationId}/transfer`, {
    toQueueId: TECHNICAL,
  });
  expect(moved.status).toBe(200);
  const second = await chenStream.waitFor(
    'the transferred offer',
    (f) => f.type === 'offer.created' && f.conversationId === conversationId,
  );
  expect((await chen.call('POST', `/offers/${second.offerId}/accept`)).body).toMatchObject({
    status: 'active',
    agentId: CHEN,
  });
  expect(alexStream.frames.some((f) => f.type === 'offer.created' && f.offerId === second.offerId)).toBe(
    false,
  );
  // Same conversation, context kept: Chen reads the whole transcript, pre-chat answers included.
  const details = (await chen.call('GET', `/conversations/${conversationId}`)).body;
  expect(details.context.preChat).toMatchObject({ name: 'Dana Whitfield', topic: 'Wi-Fi & equipment' });
  expect(details.participants.map((x: Json) => [x.agentId, x.mode])).toEqual(
    expect.arrayContaining([
      [ALEX, 'primary'],
      [SAM, 'consult'],
      [CHEN, 'primary'],
    ]),
  );
  const transcript = (await chen.call('GET', `/conversations/${conversationId}/messages`)).body
    .items as Json[];
  expect(transcript.map((m) => m.text)).toEqual(
    expect.arrayContaining(['Hi Dana, let me reset your line.', 'INTERNAL: offer a credit']),
  );
  // Who came in, who left and who handed it over, as internal notes in Chen's transcript.
  expect(transcript.filter((m) => m.from === 'system').map((m) => [m.visibility, m.text])).toEqual([
    ['internal', 'Alex Rivera invited Sam Morgan to consult.'],
    ['internal', 'Sam Morgan left the consultation.'],
    ['internal', 'Alex Rivera transferred the conversation to the Technical support queue.'],
  ]);
  // Bianca works only in Billing: this conversation is not hers to read.
  const bianca = await signIn(agentBase, 'agent_bianca');
  const denied = await bianca.call('GET', `/conversations/${conversationId}/messages`);
  expect(denied.status).toBe(403);
  expect(denied.body.error.message).toBe('You may not read this conversation');
  await customer.waitFor(
    'the second agent joined',
    (a) => a.type === 'event' && a.name === 'agentJoined' && JSON.stringify(a).includes('Chen'),
  );

  // Chen replies, ends and wraps up; the supervisor saw after-contact work, then nothing.
  expect(
    (
      await chen.call('POST', `/conversations/${conversationId}/messages`, {
        text: 'Chen here, all fixed.',
        visibility: 'public',
      })
    ).status,
  ).toBe(201);
  await customer.waitFor("Chen's reply", said('Chen here, all fixed.'));
  expect((await chen.call('POST', `/conversations/${conversationId}/end`)).body.status).toBe('wrap-up');
  const acw = (await sam.call('GET', '/supervisor/realtime')).body.items.find(
    (q: Json) => q.queueId === TECHNICAL,
  );
  expect(acw.agentsAfterContactWork).toBe(before.agentsAfterContactWork + 1);
  const closed = await chen.call('POST', `/conversations/${conversationId}/wrap-up`, {
    disposition: 'resolved',
  });
  expect(closed.body).toMatchObject({ status: 'closed', disposition: 'resolved' });
  await chenStream.waitFor(
    'conversation ended',
    (f) => f.type === 'conversation.ended' && f.status === 'closed',
  );
  const after = (await sam.call('GET', '/supervisor/realtime')).body.items.find(
    (q: Json) => q.queueId === TECHNICAL,
  );
  expect(after.agentsAfterContactWork).toBe(before.agentsAfterContactWork);
  expect(
    (await sam.call('GET', '/supervisor/conversations')).body.items.some(
      (c: Json) => c.id === conversationId,
    ),
  ).toBe(false);

  const customerTexts = customer.seen.filter((a) => a.type === 'message').map((a) => a.text ?? '');
  expect(customerTexts.filter((t) => /consult|transferred the conversation/.test(t))).toEqual([]);
  customer.end();
  await Promise.all([alexStream.close(), samStream.close(), chenStream.close()]);
  return { conversationId, customerTexts };
}
