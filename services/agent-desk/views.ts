import type { Conversation, Customer, Message, OfferReason, Queue, SentimentLevel } from '../domain/index.js';

// The shapes the agent API answers with (docs/agent-api.md): plain data built from the domain.

export interface WorkItem {
  id: string;
  status: Conversation['status'];
  customerId: string;
  customerName: string;
  channel: string;
  queueId: string | null;
  queueName: string | null;
  agentId: string | null;
  subject: string;
  firstMessage: string;
  waitingSeconds: number;
  createdAt: Date;
  lastActivityAt: Date;
  sentiment?: { level: SentimentLevel; score: number };
  disposition?: string;
  /** See `Conversation.customerAwaySince`. */
  customerAwaySince?: Date;
  /** See `Conversation.closedBy`: a chat a supervisor closed is not its agent's to reopen. */
  closedBy?: Conversation['closedBy'];
}

export interface Offer {
  offerId: string;
  conversationId: string;
  agentId: string;
  expiresAt: Date;
  customerName: string;
  channel: string;
  queueId: string | null;
  queueName: string | null;
  waitingSeconds: number;
  firstMessage: string;
  reason: OfferReason | null;
  /** The name of the agent who had the conversation before it was transferred; null when it was not. */
  transferredFrom: string | null;
  /** See `Conversation.customerAwaySince`. */
  customerAwaySince?: Date;
  /** A transfer's handover note (internal), and who wrote it: what the offer shows first. */
  handoverNote?: { text: string; by: string };
  /** A transferred chat's latest customer message: fresher than its first one. */
  lastCustomerMessage?: string;
}

/** The client key a transfer's handover note is stored under: one per transfer of the conversation. */
export const handoverNoteKey = (transferCount: number) => `handover-note:${transferCount}`;

export interface ApiMessage {
  id: string;
  seq: number;
  from: Message['author'];
  authorName: string;
  text: string;
  visibility: Message['visibility'];
  at: Date;
  /** Only when there are some: most messages carry none, and every frame would say so. */
  attachments?: Message['attachments'];
}

/** Time in queue: until now while still waiting, until it was accepted after that. */
export function waitingSeconds(c: Conversation, now: Date): number {
  const from = c.timestamps.queuedAt ?? c.timestamps.escalatedAt;
  if (!from) return 0;
  const waitingNow = c.status === 'waiting' || c.status === 'offered';
  const until = waitingNow ? now : (c.timestamps.acceptedAt ?? c.timestamps.abandonedAt ?? now);
  return Math.max(0, Math.round((until.getTime() - from.getTime()) / 1000));
}

export function toWorkItem(
  c: Conversation,
  ctx: { customer: Customer | null; queue: Queue | null; firstMessage: string; now: Date },
): WorkItem {
  const subject = c.context.preChat.subject ?? c.context.preChat.topic ?? ctx.firstMessage.slice(0, 80);
  return {
    id: c.id,
    status: c.status,
    customerId: c.customerId,
    customerName: ctx.customer?.name ?? 'Guest',
    channel: c.channel,
    queueId: c.queueId ?? null,
    queueName: ctx.queue?.name ?? null,
    agentId: c.agentId ?? null,
    subject,
    firstMessage: ctx.firstMessage,
    waitingSeconds: waitingSeconds(c, ctx.now),
    createdAt: c.timestamps.createdAt,
    lastActivityAt: c.lastActivityAt,
    ...(c.sentiment ? { sentiment: { level: c.sentiment.level, score: c.sentiment.score } } : {}),
    ...(c.disposition !== undefined ? { disposition: c.disposition } : {}),
    ...(c.customerAwaySince ? { customerAwaySince: c.customerAwaySince } : {}),
    ...(c.status === 'closed' && c.closedBy ? { closedBy: c.closedBy } : {}),
  };
}

const DEFAULT_NAMES: Record<Message['author'], string> = {
  customer: 'Customer',
  bot: 'Virtual assistant',
  agent: 'Agent',
  supervisor: 'Supervisor',
  system: 'System',
};

export function toApiMessage(m: Message): ApiMessage {
  return {
    id: m.id,
    seq: m.seq,
    from: m.author,
    authorName: m.authorName ?? DEFAULT_NAMES[m.author],
    text: m.text,
    visibility: m.visibility,
    at: m.createdAt,
    ...(m.attachments.length > 0 ? { attachments: m.attachments } : {}),
  };
}
