import type { Author, Conversation, ConversationStatus, Participant } from './entities.js';
import { ConflictError, DomainError } from './errors.js';

/**
 * What can happen to a conversation. The state machine is this one pure function:
 * the service loads, calls `transition`, stores with a version check, and publishes.
 *
 *   bot ──escalate──► waiting ──offer──► offered ──accept──► active ──end──► wrap-up ──close──► closed
 *    │                  ▲  │               │  ▲                 │                               │
 *    │                  └──┼─reject/timeout┘  └──transfer(agent)─┤                               │
 *    │                  ▲  └──pick (accept)──────────────────────►│                               │
 *    │                  └──────────────transfer(queue)────────────┘        reopen (24 h) ◄──────────┘
 *    └──close (bot resolved / customer left the bot)──► closed
 *   waiting | offered ──abandon (the customer left)──► abandoned
 *   waiting | offered ──close (a supervisor closed it)──► closed
 *   offered ──withdraw (its agent went Offline)──► waiting
 *
 * Who is in it (`participants`): taking it as primary ends that agent's consult or monitor part
 * (primary now, and out once they hand it on, unless their queue lets them read it); closing and
 * abandoning end every part.
 */
export type ConversationCommand =
  /** The bot hands over (or a channel without a bot enqueues directly from `bot`). */
  | { type: 'escalate'; queueId: string; skills: string[]; lastAgentId?: string }
  | { type: 'offer'; agentId: string; expiresAt: Date }
  /** From `offered` by the agent it was offered to, or from `waiting` when an agent picks it. */
  | { type: 'accept'; agentId: string }
  | { type: 'reject'; agentId: string }
  | { type: 'offer-timeout'; agentId: string }
  /** Taken back from an agent who can no longer take it (they went Offline): not their refusal. */
  | { type: 'offer-withdraw'; agentId: string }
  /** Overflow or re-routing while still queued: same wait, new queue. */
  | { type: 'requeue'; queueId: string; skills?: string[] }
  | { type: 'transfer'; toQueueId: string; skills?: string[]; toAgentId?: undefined; note?: HandoverNote }
  | {
      type: 'transfer';
      toAgentId: string;
      toQueueId?: string;
      skills?: string[];
      expiresAt: Date;
      note?: HandoverNote;
    }
  | { type: 'end'; by: Author }
  /**
   * From `bot`, `botOutcome` says whether the bot resolved it or the customer just left. From
   * `waiting` or `offered`, only a supervisor closes it (the customer leaving is `abandon`).
   */
  | { type: 'close'; by: Author; disposition?: string; botOutcome?: 'resolved' | 'abandoned' }
  | { type: 'abandon' }
  | { type: 'reopen'; agentId: string };

export type ConversationCommandType = ConversationCommand['type'];

export type HandoverNote = NonNullable<Conversation['handoverNote']>;

/** A closed conversation can be reopened by its agent within this window. */
export const REOPEN_WINDOW_MS = 24 * 60 * 60 * 1000;

/** A status as a refusal says it: "Cannot transfer a conversation that is in wrap-up". */
export const STATUS_IN_WORDS: Readonly<Record<ConversationStatus, string>> = {
  bot: 'with the bot',
  waiting: 'waiting in a queue',
  offered: 'being offered to an agent',
  active: 'active',
  'wrap-up': 'in wrap-up',
  closed: 'closed',
  abandoned: 'abandoned by the customer',
};

/**
 * A step meant for a chat as someone saw it, which changed hands meanwhile (an assign, a transfer):
 * refused naming where it is now. `agentName`: whom it is with or offered to, when anyone.
 */
export function movedMeanwhileError(c: Conversation, agentName?: string): ConflictError {
  const where =
    agentName && c.status === 'active'
      ? `with ${agentName}`
      : agentName && c.status === 'offered'
        ? `being offered to ${agentName}`
        : STATUS_IN_WORDS[c.status];
  return new ConflictError(
    'conversation.moved_meanwhile',
    `This conversation was moved on meanwhile: it is ${where} now`,
    { conversationId: c.id, status: c.status },
  );
}

/** Whether the chat is on its way to someone through a hand-over (a transfer or an assign). */
export function isBeingHandedOver(c: Conversation): boolean {
  return (c.status === 'offered' || c.status === 'waiting') && c.transferCount > 0;
}

export class IllegalTransitionError extends DomainError {
  constructor(
    readonly from: ConversationStatus,
    readonly command: ConversationCommandType,
    why?: string,
  ) {
    super(
      'conversation.illegal_transition',
      `Cannot ${command} a conversation that is ${STATUS_IN_WORDS[from]}${why ? `: ${why}` : ''}`,
      'conflict',
      { from, command },
    );
  }
}

/** Which commands each state accepts; everything else is an `IllegalTransitionError`. */
export const LEGAL_COMMANDS: Readonly<Record<ConversationStatus, readonly ConversationCommandType[]>> = {
  bot: ['escalate', 'close', 'abandon'],
  waiting: ['offer', 'accept', 'requeue', 'abandon', 'close'],
  offered: ['accept', 'reject', 'offer-timeout', 'offer-withdraw', 'abandon', 'close'],
  active: ['transfer', 'end'],
  'wrap-up': ['close'],
  closed: ['reopen'],
  abandoned: [],
};

/** Whether the conversation is over: closed (an agent may still reopen it) or abandoned. */
export function isEnded(status: ConversationStatus): boolean {
  return status === 'closed' || status === 'abandoned';
}

export function canApply(status: ConversationStatus, command: ConversationCommandType): boolean {
  return LEGAL_COMMANDS[status].includes(command);
}

export function transition(c: Conversation, cmd: ConversationCommand, now: Date): Conversation {
  if (!canApply(c.status, cmd.type)) throw new IllegalTransitionError(c.status, cmd.type);
  const next: Conversation = {
    ...c,
    timestamps: { ...c.timestamps },
    participants: c.participants.map((p) => ({ ...p })),
    declinedBy: [...c.declinedBy],
    lastActivityAt: now,
    version: c.version + 1,
  };
  const t = next.timestamps;

  switch (cmd.type) {
    case 'escalate':
      next.status = 'waiting';
      next.queueId = cmd.queueId;
      next.requiredSkills = [...cmd.skills];
      if (cmd.lastAgentId) next.lastAgentId = cmd.lastAgentId;
      next.botOutcome = 'escalated';
      t.escalatedAt = now;
      t.queuedAt = now;
      return next;

    case 'offer':
      if (next.declinedBy.includes(cmd.agentId)) {
        throw new IllegalTransitionError(c.status, cmd.type, `agent ${cmd.agentId} already declined it`);
      }
      next.status = 'offered';
      next.agentId = cmd.agentId;
      next.offerExpiresAt = cmd.expiresAt;
      t.offeredAt = now;
      return next;

    case 'accept':
      if (c.status === 'offered' && c.agentId !== cmd.agentId) {
        throw new IllegalTransitionError(c.status, cmd.type, `it is offered to another agent`);
      }
      next.status = 'active';
      next.agentId = cmd.agentId;
      next.offerExpiresAt = undefined;
      next.declinedBy = [];
      next.handOver = undefined;
      t.acceptedAt = now;
      if (c.status === 'waiting') t.offeredAt = now;
      // A consultant or monitor who takes it over is its agent now, in that part only.
      endParticipation(next.participants, (p) => p.mode === 'primary' || p.agentId === cmd.agentId, now);
      next.participants.push({ agentId: cmd.agentId, mode: 'primary', joinedAt: now });
      return next;

    case 'reject':
    case 'offer-timeout':
    case 'offer-withdraw':
      if (c.agentId !== cmd.agentId) {
        throw new IllegalTransitionError(c.status, cmd.type, `it is not offered to ${cmd.agentId}`);
      }
      next.status = 'waiting';
      next.agentId = undefined;
      next.offerExpiresAt = undefined;
      // A withdrawn offer was not the agent's refusal: back online, they may be offered it again.
      if (cmd.type !== 'offer-withdraw') next.declinedBy.push(cmd.agentId);
      // The transfer's own offer is over; who handed it on still gets it back when nobody else can.
      if (c.handOver?.toAgentId === cmd.agentId) next.handOver = { fromAgentId: c.handOver.fromAgentId };
      return next;

    case 'requeue':
      next.queueId = cmd.queueId;
      if (cmd.skills) next.requiredSkills = [...cmd.skills];
      next.declinedBy = [];
      next.handOver = undefined;
      return next;

    case 'transfer':
      next.transferCount = c.transferCount + 1;
      // A note belongs to the transfer it came with: an earlier transfer's is not this one's.
      next.handoverNote = cmd.note;
      endParticipation(next.participants, (p) => p.mode === 'primary', now);
      // The agent handing it on has passed on it, not refused it: routing offers it to anyone else
      // first (the one with most room is often them, just freed), and back to them at once when
      // nobody else can take it (dispatcher.ts), a declined transfer included.
      next.declinedBy = [];
      next.handOver = c.agentId
        ? { fromAgentId: c.agentId, ...(cmd.toAgentId !== undefined ? { toAgentId: cmd.toAgentId } : {}) }
        : undefined;
      if (cmd.toQueueId) next.queueId = cmd.toQueueId;
      if (cmd.skills) next.requiredSkills = [...cmd.skills];
      t.queuedAt = now;
      t.acceptedAt = undefined;
      if (cmd.toAgentId !== undefined) {
        if (cmd.toAgentId === c.agentId) {
          throw new IllegalTransitionError(c.status, cmd.type, 'it is already with that agent');
        }
        next.status = 'offered';
        next.agentId = cmd.toAgentId;
        next.offerExpiresAt = cmd.expiresAt;
        t.offeredAt = now;
      } else {
        next.status = 'waiting';
        next.agentId = undefined;
        next.offerExpiresAt = undefined;
        t.offeredAt = undefined;
      }
      return next;

    case 'end':
      next.status = 'wrap-up';
      next.endedBy = cmd.by;
      t.wrapUpAt = now;
      // Nobody waits on the customer any more (see `Conversation.customerAwaySince`).
      next.customerAwaySince = undefined;
      return next;

    case 'close':
      if ((c.status === 'waiting' || c.status === 'offered') && cmd.by !== 'supervisor') {
        throw new IllegalTransitionError(
          c.status,
          cmd.type,
          'only a supervisor closes a queued conversation',
        );
      }
      next.status = 'closed';
      next.closedBy = cmd.by;
      if (cmd.disposition !== undefined) next.disposition = cmd.disposition;
      if (c.status === 'bot') {
        next.botOutcome = cmd.botOutcome ?? (cmd.by === 'customer' ? 'abandoned' : 'resolved');
      }
      if (c.status === 'waiting' || c.status === 'offered') {
        // Nobody took it: no agent keeps it (to reopen, or in their closed list), the offer is void.
        next.endedBy = cmd.by;
        next.agentId = undefined;
        next.offerExpiresAt = undefined;
        next.customerAwaySince = undefined;
      }
      t.closedAt = now;
      endParticipation(next.participants, () => true, now);
      return next;

    case 'abandon':
      next.status = 'abandoned';
      next.agentId = undefined;
      next.offerExpiresAt = undefined;
      t.abandonedAt = now;
      next.customerAwaySince = undefined;
      // As a close does: a consultant still in it (a transfer was under way) is out.
      endParticipation(next.participants, () => true, now);
      return next;

    case 'reopen': {
      if (c.agentId !== cmd.agentId) {
        throw new IllegalTransitionError(c.status, cmd.type, 'only its agent can reopen it');
      }
      // A supervisor who force-closed a chat (abuse, a duplicate) is not overruled by its agent.
      if (c.closedBy === 'supervisor') {
        throw new IllegalTransitionError(c.status, cmd.type, 'a supervisor closed it');
      }
      const closedAt = t.closedAt?.getTime() ?? 0;
      if (now.getTime() - closedAt > REOPEN_WINDOW_MS) {
        throw new IllegalTransitionError(c.status, cmd.type, 'it was closed more than 24 hours ago');
      }
      next.status = 'active';
      next.endedBy = undefined;
      next.closedBy = undefined;
      t.reopenedAt = now;
      t.closedAt = undefined;
      t.wrapUpAt = undefined;
      next.participants.push({ agentId: cmd.agentId, mode: 'primary', joinedAt: now });
      return next;
    }

    default: {
      const unreachable: never = cmd;
      throw new DomainError('conversation.unknown_command', `Unknown command ${JSON.stringify(unreachable)}`);
    }
  }
}

function endParticipation(participants: Participant[], which: (p: Participant) => boolean, now: Date): void {
  for (const p of participants) if (!p.leftAt && which(p)) p.leftAt = now;
}
