import type { Agent, Conversation, StoredEvent, Viewer } from '../domain/index.js';
import { NotFoundError } from '../domain/index.js';
import type { DeskPorts } from './ports.js';
import { toWorkItem, type Offer, type WorkItem } from './views.js';

/** Loading helpers the desk's parts share: the caller as a viewer, conversations, their views. */
export function createDeskContext(p: DeskPorts) {
  const { repos, deps } = p;

  async function agent(agentId: string): Promise<Agent> {
    const a = await repos.agents.get(agentId);
    if (!a) throw new NotFoundError('agent.not_found', `Agent ${agentId} does not exist`);
    return a;
  }

  /** `known`: the agent's record as read moments ago for the same request (its authentication). */
  async function viewer(agentId: string, known?: Agent): Promise<Viewer & { agent: Agent }> {
    const a = known?.id === agentId ? known : await agent(agentId);
    return { agentId: a.id, roles: a.roles, queueIds: a.queueIds, agent: a };
  }

  async function conversation(id: string): Promise<Conversation> {
    const c = await repos.conversations.get(id);
    if (!c) throw new NotFoundError('conversation.not_found', 'No such conversation', { conversationId: id });
    return c;
  }

  async function firstCustomerMessage(conversationId: string): Promise<string> {
    const first = await repos.messages.list(conversationId, { visibility: 'public', limit: 20 });
    return first.find((m) => m.author === 'customer')?.text ?? '';
  }

  async function workItem(c: Conversation): Promise<WorkItem> {
    const [customer, queue, firstMessage] = await Promise.all([
      repos.customers.get(c.customerId),
      c.queueId ? repos.queues.get(c.queueId) : Promise.resolve(null),
      firstCustomerMessage(c.id),
    ]);
    return toWorkItem(c, { customer, queue, firstMessage, now: deps.now() });
  }

  /** The `conversation.offered` event of the conversation's current offer (it carries the reason). */
  async function offeredEvent(
    c: Conversation,
  ): Promise<Extract<StoredEvent, { type: 'conversation.offered' }> | null> {
    if (!c.agentId) return null;
    const [event] = await repos.events.ofConversation(c.id, 'conversation.offered', {
      latest: 1,
      agentId: c.agentId,
    });
    return event ?? null;
  }

  /** Who had the conversation before it was transferred (the last primary agent to leave it). */
  async function transferredFrom(c: Conversation): Promise<string | null> {
    if (c.transferCount === 0) return null;
    const before = c.participants.findLast((p) => p.mode === 'primary' && p.leftAt);
    return before ? ((await repos.agents.get(before.agentId))?.name ?? null) : null;
  }

  /**
   * What a transferred chat's offer quotes: the handover note its last transfer came with, if one
   * was written, and the customer's latest message (the first one may be many minutes old by now).
   */
  async function handover(c: Conversation): Promise<Pick<Offer, 'handoverNote' | 'lastCustomerMessage'>> {
    if (c.transferCount === 0) return {};
    const recent = await repos.messages.latest(c.id, 30);
    const last = recent.findLast((m) => m.author === 'customer' && m.visibility === 'public');
    return {
      ...(c.handoverNote ? { handoverNote: { ...c.handoverNote } } : {}),
      ...(last?.text ? { lastCustomerMessage: last.text } : {}),
    };
  }

  async function offer(c: Conversation, offerId: string): Promise<Offer> {
    const [item, event, from, handed] = await Promise.all([
      workItem(c),
      offeredEvent(c),
      transferredFrom(c),
      handover(c),
    ]);
    return {
      offerId,
      conversationId: c.id,
      agentId: c.agentId ?? '',
      expiresAt: c.offerExpiresAt ?? event?.expiresAt ?? deps.now(),
      customerName: item.customerName,
      channel: item.channel,
      queueId: item.queueId,
      queueName: item.queueName,
      waitingSeconds: item.waitingSeconds,
      firstMessage: item.firstMessage,
      reason: event?.reason ?? null,
      transferredFrom: from,
      ...handed,
      ...(item.customerAwaySince ? { customerAwaySince: item.customerAwaySince } : {}),
    };
  }

  /**
   * Work items for a list: customers and queues in one read each, not two reads per item (a queue's
   * open list is 200 items, and every agent of the queue reloads it as the queue moves).
   */
  async function workItems(cs: readonly Conversation[]): Promise<WorkItem[]> {
    const queueIds = [...new Set(cs.flatMap((c) => (c.queueId ? [c.queueId] : [])))];
    const [customers, queues, firstMessages] = await Promise.all([
      repos.customers.getMany([...new Set(cs.map((c) => c.customerId))]),
      repos.queues.getMany(queueIds),
      Promise.all(cs.map((c) => firstCustomerMessage(c.id))),
    ]);
    const customerById = new Map(customers.map((x) => [x.id, x]));
    const queueById = new Map(queues.map((q) => [q.id, q]));
    const now = deps.now();
    return cs.map((c, i) =>
      toWorkItem(c, {
        customer: customerById.get(c.customerId) ?? null,
        queue: (c.queueId && queueById.get(c.queueId)) || null,
        firstMessage: firstMessages[i]!,
        now,
      }),
    );
  }

  /** Who and where, for a live-stream frame that must say so (an alert, a consult asked for). */
  async function names(c: Conversation): Promise<{ customerName: string; queueName: string | null }> {
    const [customer, queue] = await Promise.all([
      repos.customers.get(c.customerId),
      c.queueId ? repos.queues.get(c.queueId) : Promise.resolve(null),
    ]);
    return { customerName: customer?.name ?? 'Customer', queueName: queue?.name ?? null };
  }

  return { agent, viewer, conversation, workItem, workItems, offer, offeredEvent, names };
}

export type DeskContext = ReturnType<typeof createDeskContext>;
