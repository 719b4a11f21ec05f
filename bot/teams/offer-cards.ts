import {
  isDomainError,
  type Agent,
  type Conversation,
  type StoredEvent,
} from '../../services/domain/index.js';
import { offerAttachment, type OfferCardState, type OfferCardView } from '../cards/index.js';
import type { TeamsContext } from './ports.js';
import { asTeamsRef, messageTo, targetOf, type TeamsRef } from './teams-refs.js';

/** One offer card sent into an agent's Teams chat, and where its offer stands. */
export interface OfferCardRecord {
  offerKey: string;
  conversationId: string;
  agentId: string;
  /** The card's activity id in the agent's chat (for updates). */
  activityId?: string;
  ref: TeamsRef;
  view: Omit<OfferCardView, 'state' | 'refreshUserIds' | 'workspaceUrl'>;
  state: OfferCardState;
  createdAt: Date;
  updatedAt: Date;
}

export const OFFER_CARDS_COLLECTION = 'teams_offer_cards';

/** The answer to an Accept / Reject / refresh: the card as the person should now see it. */
export type OfferActionResult =
  { ok: true; card: ReturnType<typeof offerAttachment>['content'] } | { ok: false; message: string };

type OfferEvent = Extract<
  StoredEvent,
  {
    type:
      | 'conversation.offered'
      | 'conversation.accepted'
      | 'conversation.offer_rejected'
      | 'conversation.offer_timed_out'
      | 'conversation.offer_withdrawn'
      | 'conversation.abandoned'
      | 'conversation.closed'
      | 'conversation.transferred';
  }
>;

const METHOD_WORDS: Record<string, string> = {
  'highest-capacity': 'you had the most free capacity',
  'round-robin': 'it was your turn in the rotation',
  'least-active': 'you had been free the longest',
};

/**
 * Offers in Teams: a card in the agent's chat when routing offers them a conversation, Accept / Reject
 * through Universal Actions, and the card kept true to the offer's outcome (accepted, taken by someone
 * else, rejected, expired, withdrawn) by updating it for everyone who sees it.
 */
export async function createOfferCards(ctx: TeamsContext) {
  const col = ctx.store.collection<OfferCardRecord>(OFFER_CARDS_COLLECTION);
  await col.ensureIndex({ keys: { offerKey: 1 }, unique: true });
  await col.ensureIndex({ keys: { conversationId: 1, 'state.kind': 1 } });
  const pending = new Set<Promise<unknown>>();

  function track(p: Promise<unknown>): void {
    const done = p
      .catch((err: unknown) => ctx.log.error('teams offer card failed', { err }))
      .finally(() => pending.delete(done));
    pending.add(done);
  }

  function viewOf(record: OfferCardRecord): OfferCardView {
    return {
      ...record.view,
      expiresAt: new Date(record.view.expiresAt),
      state: record.state,
      refreshUserIds: [record.ref.user.id],
      workspaceUrl: ctx.workspaceUrl(record.conversationId),
    };
  }

  const cardOf = (record: OfferCardRecord) => offerAttachment(viewOf(record));

  async function describe(c: Conversation, queueId: string | undefined, reason: string | undefined) {
    const [customer, queue, messages] = await Promise.all([
      ctx.repos.customers.get(c.customerId),
      queueId ? ctx.repos.queues.get(queueId) : Promise.resolve(null),
      ctx.repos.messages.list(c.id, { visibility: 'public', limit: 30 }),
    ]);
    const first = messages.find((m) => m.author === 'customer');
    const since = c.timestamps.queuedAt ?? c.timestamps.createdAt;
    return {
      customerName: customer?.name ?? 'Customer',
      queueName: queue?.name ?? 'No queue',
      waitingSeconds: Math.max(0, (ctx.deps.now().getTime() - new Date(since).getTime()) / 1000),
      firstMessage: first?.text,
      reason:
        reason ??
        (queue
          ? `Routed from ${queue.name}: ${METHOD_WORDS[queue.assignmentMethod] ?? queue.assignmentMethod} among the agents available for it.`
          : 'Offered to you directly.'),
    };
  }

  async function onOffered(event: Extract<OfferEvent, { type: 'conversation.offered' }>): Promise<void> {
    const agent = await ctx.repos.agents.get(event.agentId);
    const ref = asTeamsRef(agent?.teamsConversationRef);
    if (!agent || !ref) return;
    const c = await ctx.repos.conversations.get(event.conversationId);
    if (!c) return;
    const reason = event.reason?.summary;
    const now = ctx.deps.now();
    // The offer's id as the agent API names it, so Accept from Teams and from the tab are one thing.
    const offerKey = event.offerId ?? `${event.conversationId}.event-${event.seq}`;
    const record: OfferCardRecord = {
      offerKey,
      conversationId: c.id,
      agentId: agent.id,
      ref,
      view: {
        offerKey,
        conversationId: c.id,
        channel: c.channel,
        expiresAt: new Date(event.expiresAt),
        ...(await describe(c, event.queueId ?? c.queueId, reason)),
      },
      state: { kind: 'open' },
      createdAt: now,
      updatedAt: now,
    };
    await col.insertOne(record);
    const sent = await ctx.sender.send(targetOf(ref), messageTo(ref, { attachments: [cardOf(record)] }));
    // The offer may have ended while the card was on its way: the update below then shows the outcome.
    const stored = await col.findOneAndUpdate(
      { offerKey: record.offerKey },
      { $set: { activityId: sent.id } },
      { returnDocument: 'after' },
    );
    if (stored && stored.state.kind !== 'open') await pushUpdate(stored);
    ctx.log.info('teams offer card sent', { conversationId: c.id, agentId: agent.id });
  }

  async function pushUpdate(record: OfferCardRecord): Promise<void> {
    if (!record.activityId) return;
    await ctx.sender.update(
      targetOf(record.ref),
      record.activityId,
      messageTo(record.ref, { attachments: [cardOf(record)] }),
    );
  }

  /** Moves open cards of a conversation to an outcome (only open ones: an outcome is final) and shows it. */
  async function settle(
    conversationId: string,
    which: (r: OfferCardRecord) => boolean,
    state: (r: OfferCardRecord) => OfferCardState,
  ): Promise<OfferCardRecord[]> {
    const open = await col.find({ conversationId, 'state.kind': 'open' });
    const changed: OfferCardRecord[] = [];
    for (const r of open.filter(which)) {
      const next = state(r);
      const updated = await col.findOneAndUpdate(
        { offerKey: r.offerKey, 'state.kind': 'open' },
        { $set: { state: next, updatedAt: ctx.deps.now() } },
        { returnDocument: 'after' },
      );
      if (updated) {
        changed.push(updated);
        await pushUpdate(updated);
      }
    }
    return changed;
  }

  async function agentName(agentId: string): Promise<string | undefined> {
    return (await ctx.repos.agents.get(agentId))?.name;
  }

  async function onEvent(event: OfferEvent): Promise<void> {
    switch (event.type) {
      case 'conversation.offered':
        return onOffered(event);
      case 'conversation.accepted': {
        const by = await agentName(event.agentId);
        await settle(
          event.conversationId,
          () => true,
          (r) => (r.agentId === event.agentId ? { kind: 'accepted', by } : { kind: 'taken', by }),
        );
        return;
      }
      case 'conversation.offer_rejected':
        await settle(
          event.conversationId,
          (r) => r.agentId === event.agentId,
          () => ({ kind: 'rejected' }),
        );
        return;
      case 'conversation.offer_timed_out':
        await settle(
          event.conversationId,
          (r) => r.agentId === event.agentId,
          () => ({ kind: 'expired' }),
        );
        return;
      case 'conversation.offer_withdrawn':
        await settle(
          event.conversationId,
          (r) => r.agentId === event.agentId,
          () => ({ kind: 'withdrawn', why: 'you went offline' }),
        );
        return;
      case 'conversation.abandoned':
        await settle(
          event.conversationId,
          () => true,
          () => ({ kind: 'withdrawn', why: 'the customer left' }),
        );
        return;
      case 'conversation.closed':
        await settle(
          event.conversationId,
          () => true,
          () => ({ kind: 'withdrawn', why: 'the conversation was closed' }),
        );
        return;
      case 'conversation.transferred':
        await settle(
          event.conversationId,
          () => true,
          () => ({ kind: 'withdrawn', why: 'it was transferred' }),
        );
        return;
      default: {
        const never: never = event;
        return never;
      }
    }
  }

  /** What a card shows when its offer is over but no event told us how (e.g. an answer raced it). */
  async function outcomeFromConversation(record: OfferCardRecord): Promise<OfferCardState> {
    const c = await ctx.repos.conversations.get(record.conversationId);
    if (!c) return { kind: 'withdrawn', why: 'the conversation no longer exists' };
    const assigned = ['active', 'wrap-up', 'closed'].includes(c.status) && c.agentId;
    if (assigned && c.agentId === record.agentId) return { kind: 'accepted', by: await agentName(c.agentId) };
    if (assigned && c.agentId) return { kind: 'taken', by: await agentName(c.agentId) };
    if (c.status === 'abandoned') return { kind: 'withdrawn', why: 'the customer left' };
    if (c.declinedBy.includes(record.agentId) || new Date(record.view.expiresAt) <= ctx.deps.now())
      return { kind: 'expired' };
    return { kind: 'withdrawn', why: 'it was offered elsewhere' };
  }

  async function respond(record: OfferCardRecord): Promise<OfferActionResult> {
    return { ok: true, card: cardOf(record).content };
  }

  /** Accept or reject from the card; anything but the open offer's own agent gets the card's state. */
  async function act(
    offerKey: string,
    actor: Agent,
    verb: 'accept' | 'reject' | 'refresh',
  ): Promise<OfferActionResult> {
    let record = await col.findOne({ offerKey });
    if (!record) return { ok: false, message: 'This offer is not known here any more.' };
    if (record.agentId !== actor.id) return { ok: false, message: 'This offer was made to someone else.' };
    if (verb === 'refresh' || record.state.kind !== 'open') return respond(record);

    let outcome: OfferCardState;
    try {
      if (verb === 'accept') {
        await ctx.desk.work.accept(actor.id, offerKey);
        outcome = { kind: 'accepted', by: actor.name };
      } else {
        await ctx.desk.work.reject(actor.id, offerKey);
        outcome = { kind: 'rejected' };
      }
    } catch (err) {
      if (!isDomainError(err)) throw err;
      // Someone else took it, it expired, or the customer left between the card and the click.
      outcome = await outcomeFromConversation(record);
    }
    const settled = await col.findOneAndUpdate(
      { offerKey, 'state.kind': 'open' },
      { $set: { state: outcome, updatedAt: ctx.deps.now() } },
      { returnDocument: 'after' },
    );
    if (settled) {
      record = settled;
      // Everyone else who sees the message (other devices, the chat's history) sees the outcome too.
      track(pushUpdate(settled));
    } else {
      record = (await col.findOne({ offerKey })) ?? record;
    }
    return respond(record);
  }

  const unsubscribe = ctx.bus.subscribe((event) => {
    switch (event.type) {
      case 'conversation.offered':
      case 'conversation.accepted':
      case 'conversation.offer_rejected':
      case 'conversation.offer_timed_out':
      case 'conversation.offer_withdrawn':
      case 'conversation.abandoned':
      case 'conversation.closed':
      case 'conversation.transferred':
        track(onEvent(event));
        return;
      default:
        return;
    }
  });

  return {
    act,
    async idle(): Promise<void> {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    stop: unsubscribe,
  };
}

export type OfferCards = Awaited<ReturnType<typeof createOfferCards>>;
