import {
  isDomainError,
  type Conversation,
  type Message,
  type StoredEvent,
} from '../../services/domain/index.js';
import { MAX_MESSAGE_CHARS } from '../../services/conversations/index.js';
import { characterCount } from '../../services/domain/index.js';
import { carriedMessage } from '../../services/events/index.js';
import { consultAttachment, type ConsultCardView } from '../cards/index.js';
import type { TeamsContext } from './ports.js';
import { bindReply, endedRecently, type ReplyBinding } from './reply-binding.js';
import { asTeamsRef, messageTo, targetOf, type TeamsRef } from './teams-refs.js';

/** A consult being relayed between a conversation and the consultant's Teams chat. */
export interface ConsultRecord {
  key: string;
  conversationId: string;
  consultantId: string;
  ref: TeamsRef;
  cardActivityId?: string;
  /**
   * What a Teams reply binds to this consult: the card and every message sent about it to the
   * consultant's chat (records from before this field was kept have `cardActivityId` only).
   */
  replyIds?: string[];
  view: Omit<ConsultCardView, 'ended' | 'workspaceUrl'>;
  active: boolean;
  startedAt: Date;
  endedAt?: Date;
}

/** Whether the consultant's Teams message reached the conversation, and if not, why (for them to read). */
export type RelayOutcome = { relayed: true } | { relayed: false; why: string };

export const CONSULTS_COLLECTION = 'teams_consults';
const TRANSCRIPT_LINES = 8;
/**
 * The latest messages of a consult a Teams reply still binds by id: a long consult must not grow its
 * record without end. The card stays bound (`cardActivityId`), and an older line's reply is treated
 * as an unbound message (relayed when it is the only consult open).
 */
export const BOUND_REPLIES = 50;

/**
 * Consults through Teams chat: when someone with a Teams chat joins a conversation as consultant, a card
 * with the context arrives there; what they write in that chat becomes internal messages of the
 * conversation, and the other agents' internal messages are relayed to them, until the consult ends.
 * Only internal messages travel; the customer never sees either side.
 */
export async function createConsultRelay(ctx: TeamsContext) {
  const col = ctx.store.collection<ConsultRecord>(CONSULTS_COLLECTION);
  await col.ensureIndex({ keys: { key: 1 }, unique: true });
  await col.ensureIndex({ keys: { conversationId: 1, active: 1 } });
  await col.ensureIndex({ keys: { consultantId: 1, active: 1, startedAt: -1 } });
  await col.ensureIndex({ keys: { consultantId: 1, replyIds: 1 } });
  const pending = new Set<Promise<unknown>>();

  function track(p: Promise<unknown>): void {
    const done = p
      .catch((err: unknown) => ctx.log.error('teams consult relay failed', { err }))
      .finally(() => pending.delete(done));
    pending.add(done);
  }

  const cardOf = (r: ConsultRecord) =>
    consultAttachment({ ...r.view, ended: !r.active, workspaceUrl: ctx.workspaceUrl(r.conversationId) });

  /**
   * A message to the consultant about one consult, kept as something a Teams reply binds to it. The
   * text names the customer: with several consults open, the chat must say which one a line is about.
   */
  async function sendAbout(r: ConsultRecord, text: string): Promise<void> {
    const sent = await ctx.sender.send(targetOf(r.ref), messageTo(r.ref, { text }));
    await col.updateOne(
      { key: r.key },
      { $push: { replyIds: { $each: [sent.id], $slice: -BOUND_REPLIES } } },
    );
  }

  async function transcript(c: Conversation) {
    const messages = await ctx.repos.messages.latest(c.id, TRANSCRIPT_LINES);
    return messages.map((m) => ({
      from: m.authorName ?? m.author,
      text: m.text,
      internal: m.visibility === 'internal',
    }));
  }

  async function onJoined(conversationId: string, consultantId: string): Promise<void> {
    const consultant = await ctx.repos.agents.get(consultantId);
    const ref = asTeamsRef(consultant?.teamsConversationRef);
    const c = await ctx.repos.conversations.get(conversationId);
    if (!consultant || !ref || !c) return;
    const [customer, queue, owner] = await Promise.all([
      ctx.repos.customers.get(c.customerId),
      c.queueId ? ctx.repos.queues.get(c.queueId) : Promise.resolve(null),
      c.agentId ? ctx.repos.agents.get(c.agentId) : Promise.resolve(null),
    ]);
    const record: ConsultRecord = {
      key: `${conversationId}:${consultantId}:${ctx.deps.now().getTime()}`,
      conversationId,
      consultantId,
      ref,
      view: {
        conversationId,
        requestedBy: owner?.name ?? 'An agent',
        customerName: customer?.name ?? 'Customer',
        channel: c.channel,
        queueName: queue?.name ?? 'No queue',
        sentiment: c.sentiment?.level,
        recentTranscript: await transcript(c),
      },
      active: true,
      startedAt: ctx.deps.now(),
      replyIds: [],
    };
    await col.insertOne(record);
    const sent = await ctx.sender.send(targetOf(ref), messageTo(ref, { attachments: [cardOf(record)] }));
    await col.updateOne(
      { key: record.key },
      { $set: { cardActivityId: sent.id }, $push: { replyIds: sent.id } },
    );
    ctx.log.info('teams consult card sent', { conversationId, agentId: consultantId });
  }

  async function end(filter: { conversationId: string; consultantId?: string }, why: string): Promise<void> {
    const open = await col.find({ ...filter, active: true });
    for (const r of open) {
      const ended = await col.findOneAndUpdate(
        { key: r.key, active: true },
        { $set: { active: false, endedAt: ctx.deps.now() } },
        { returnDocument: 'after' },
      );
      if (!ended) continue;
      if (ended.cardActivityId) {
        await ctx.sender.update(
          targetOf(ended.ref),
          ended.cardActivityId,
          messageTo(ended.ref, { attachments: [cardOf(ended)] }),
        );
      }
      await sendAbout(ended, `Consult about ${about(ended)} ended: ${why}.`);
    }
  }

  /** The conversation's internal messages from others go to each active consultant's chat. */
  async function onMessage(conversationId: string, messageId: string, known?: Message): Promise<void> {
    const consults = await col.find({ conversationId, active: true });
    if (consults.length === 0) return;
    const message = known ?? (await ctx.repos.messages.get(conversationId, messageId));
    if (!message || message.visibility !== 'internal') return;
    for (const r of consults) {
      if (message.authorId === r.consultantId) continue;
      await sendAbout(r, `${message.authorName ?? 'Agent'} (internal) about ${about(r)}: ${message.text}`);
    }
  }

  const unsubscribe = ctx.bus.subscribe((event: StoredEvent) => {
    switch (event.type) {
      case 'participant.joined':
        if (event.mode === 'consult') track(onJoined(event.conversationId, event.agentId));
        return;
      case 'participant.left':
        if (event.mode === 'consult')
          track(
            end(
              { conversationId: event.conversationId, consultantId: event.agentId },
              'you left the conversation',
            ),
          );
        return;
      case 'conversation.wrap_up':
      case 'conversation.closed':
      case 'conversation.abandoned':
        track(end({ conversationId: event.conversationId }, 'the conversation ended'));
        return;
      case 'message.added':
        if (event.visibility === 'internal')
          track(onMessage(event.conversationId, event.messageId, carriedMessage(event)));
        return;
      default:
        return;
    }
  });

  return {
    /**
     * The consult a consultant's message in Teams chat `teamsConversationId` answers, if any: only
     * the chat the consult's card went to relays, and a reply (`repliedTo`) binds to its consult.
     */
    async bindingFor(
      consultantId: string,
      teamsConversationId: string,
      repliedTo?: string,
    ): Promise<ReplyBinding<ConsultRecord>> {
      const inChat = (r: ConsultRecord) => r.ref.conversation.id === teamsConversationId;
      const open = (
        await col.find({ consultantId, active: true }, { sort: { startedAt: 1 }, limit: 50 })
      ).filter(inChat);
      let bound: ConsultRecord | null = null;
      if (repliedTo) {
        const [found] = await col.find(
          { consultantId, $or: [{ replyIds: repliedTo }, { cardActivityId: repliedTo }] },
          { limit: 1 },
        );
        bound = found && inChat(found) ? found : null;
      }
      if (bound || open.length > 0) return bindReply(open, bound);
      // Nothing open: a message soon after the chat's last consult ended was most likely meant for it.
      const [last] = (
        await col.find({ consultantId, active: false }, { sort: { startedAt: -1 }, limit: 10 })
      ).filter(inChat);
      return bindReply(open, null, last && endedRecently(last, ctx.deps.now()) ? last : null);
    },

    /** How a consult is named to the consultant: the customer, who asked, the queue. */
    nameOf(r: ConsultRecord): string {
      return `${about(r)}, asked by ${r.view.requestedBy} (${r.view.queueName})`;
    },

    /**
     * What the consultant wrote in Teams, into the conversation as an internal message; or, when it
     * cannot be, why, in words for the consultant (the desk's refusal would otherwise be lost).
     */
    async relayFromTeams(record: ConsultRecord, text: string): Promise<RelayOutcome> {
      // The limit the agent API holds a note to (its route checks it before the desk): Teams allows
      // far longer messages, which the tab and this relay's own Teams messages are not made for.
      if (characterCount(text) > MAX_MESSAGE_CHARS)
        return {
          relayed: false,
          why: `it is longer than ${MAX_MESSAGE_CHARS.toLocaleString('en-US')} characters; please send it in shorter parts`,
        };
      try {
        await ctx.desk.conversation.post(record.consultantId, record.conversationId, text, 'internal');
        return { relayed: true };
      } catch (err) {
        if (!isDomainError(err)) throw err;
        ctx.log.warn('teams consult message refused', {
          conversationId: record.conversationId,
          agentId: record.consultantId,
          code: err.code,
        });
        return {
          relayed: false,
          why: err.code === 'message.empty' ? 'it has no text I can pass on' : err.message,
        };
      }
    },

    /** The card's End consult button: leaves the conversation (the relay ends on `participant.left`). */
    async endFromTeams(conversationId: string, consultantId: string): Promise<ConsultRecord | null> {
      // The relay ends before the leave: leaving publishes participant.left, whose listener would
      // otherwise win the race and tell the consultant "you left the conversation" for a button they
      // pressed. That listener then finds nothing active, so the chat gets one notice.
      await end({ conversationId, consultantId }, 'you ended it');
      try {
        await ctx.desk.conversation.leave(consultantId, conversationId);
      } catch (err) {
        // Already left (or the conversation ended): the relay is over all the same.
        if (!isDomainError(err)) throw err;
      }
      const [latest] = await col.find(
        { conversationId, consultantId },
        { sort: { startedAt: -1 }, limit: 1 },
      );
      return latest ?? null;
    },

    cardOf,

    async idle(): Promise<void> {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    stop: unsubscribe,
  };
}

/** The customer a consult is about, as chat lines name it. */
function about(r: ConsultRecord): string {
  return r.view.customerName;
}

export type ConsultRelay = Awaited<ReturnType<typeof createConsultRelay>>;
