import type { Activity } from 'botframework-directlinejs';
import { customerOnDirectLine, openStream, signIn, until, type ApiClient, type Customer } from './clients.js';

/** A customer as the tests start them; `visitor` is what their page reports (default: not signed in). */
export interface ChatCustomer {
  userId: string;
  name: string;
  visitor?: Record<string, unknown>;
}

export interface LiveConversation {
  agent: ApiClient;
  conversationId: string;
  customer: Customer;
}

export interface OfferedConversation extends LiveConversation {
  offerId: string;
}

/**
 * A customer on Direct Line who answered the pre-chat survey and asked for a person, offered to and
 * accepted by `agentId` (everyone else in the demo's queues steps away first so the offer goes there).
 * Resolves once the customer heard that the agent joined.
 */
export async function liveConversation(
  base: string,
  agentId: string,
  customer: ChatCustomer,
): Promise<LiveConversation> {
  const offered = await offeredConversation(base, agentId, customer);
  const accepted = await offered.agent.call('POST', `/offers/${offered.offerId}/accept`);
  if (accepted.status !== 200)
    throw new Error(`accept failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  await offered.customer.waitFor('the agent joined', (a) => a.type === 'event' && a.name === 'agentJoined');
  return offered;
}

/** As `liveConversation`, up to the offer: resolves once `agentId` has it, before they accept. */
export async function offeredConversation(
  base: string,
  agentId: string,
  customer: ChatCustomer,
): Promise<OfferedConversation> {
  for (const other of ['agent_emma', 'agent_farah', 'agent_chen', 'supervisor_sam', 'agent_alex']) {
    const o = await signIn(base, other);
    await o.call('PUT', '/me/presence', { presence: 'away' });
  }
  const agent = await signIn(base, agentId);
  const stream = await openStream(base, agent.token);
  try {
    await agent.call('PUT', '/me/presence', { presence: 'available' });
    const chat = await customerPastSurvey(base, customer);
    await chat.post({ type: 'message', text: 'I want to talk to an agent' });
    const offer = await stream.waitFor('the offer', (f) => f.type === 'offer.created', 30_000);
    return {
      agent,
      conversationId: offer.conversationId as string,
      customer: chat,
      offerId: offer.offerId as string,
    };
  } finally {
    await stream.close();
  }
}

/**
 * A customer on Direct Line, as the widget starts a chat: visitor context, then the pre-chat form
 * answered (`topic` picks the queue). Resolves once the bot thanked them.
 */
export async function customerPastSurvey(
  base: string,
  customer: ChatCustomer,
  topic = 'Wi-Fi & equipment',
): Promise<Customer> {
  const chat = await customerOnDirectLine(base, customer.userId, customer.name);
  await chat.post({
    type: 'event',
    name: 'visitorContext',
    value: { visitor: customer.visitor ?? { authenticated: false } },
  } as Partial<Activity>);
  await chat.waitFor('the pre-chat survey', (a) => a.type === 'event' && a.name === 'preChatSurvey');
  await chat.post({
    type: 'message',
    text: '',
    value: { preChat: { name: customer.name, email: 'customer@example.com', topic } },
  } as Partial<Activity>);
  await chat.waitFor('the survey thanks', (a) => a.type === 'message' && /Thanks/.test(a.text ?? ''));
  return chat;
}

const says = (pattern: RegExp) => (a: Activity) => a.type === 'message' && pattern.test(a.text ?? '');

/**
 * A customer past the survey who asks for a person while nobody is free (the caller set everyone
 * away first) and leaves a message: their conversation waits in the queue for the team.
 */
export async function customerLeavingAMessage(base: string, customer: ChatCustomer): Promise<Customer> {
  const chat = await customerPastSurvey(base, customer);
  await chat.post({ type: 'message', text: 'I want to talk to an agent' });
  await chat.waitFor('the options', says(/take a message/));
  await chat.post({ type: 'message', text: 'Leave a message' });
  await chat.waitFor('the question', says(/What would you like the team to know/));
  await chat.post({ type: 'message', text: 'My router keeps dropping the connection' });
  await chat.waitFor('the message left', says(/your message and everything/));
  return chat;
}

/** The conversation of `customerName` as it waits on the supervisor's board, once it is there. */
export function waitingOnBoard(
  supervisor: ApiClient,
  customerName: string,
): Promise<Record<string, unknown>> {
  return until('the conversation waiting on the board', async () => {
    const items = (await supervisor.call('GET', '/supervisor/conversations')).body.items as Array<
      Record<string, unknown>
    >;
    return items.find((c) => c.customerName === customerName && c.status === 'waiting');
  });
}

/** The titles of the quick replies the conversation's agent is offered for `q`, best first. */
export async function quickReplyTitles(live: LiveConversation, q: string): Promise<string[]> {
  const res = await live.agent.call(
    'GET',
    `/conversations/${live.conversationId}/quick-replies?q=${encodeURIComponent(q)}`,
  );
  if (res.status !== 200)
    throw new Error(`quick replies for "${q}": ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body.items as Array<{ title: string }>).map((r) => r.title);
}
