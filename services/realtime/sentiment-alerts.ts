import { decideSentimentAlerts, type AlertRecipient } from '../assist/index.js';
import type { Agent, Conversation, DomainEvent, StoredEvent } from '../domain/index.js';
import type { Repositories } from '../store/index.js';

// When a conversation's live sentiment crosses an agent's or a supervisor's threshold, an
// `alert` (`sentiment.alert` event) is stored for them — once per crossing, re-armed when the
// reading recovers (the rule is `decideSentimentAlerts`). Recipients: the conversation's agent, and
// supervisors of its queue only. Runs where the sentiment change was published, so each crossing is
// judged by exactly one instance.

export interface AlertPorts {
  conversation(id: string): Promise<Conversation | null>;
  /** The conversation's sentiment reading before the one numbered `seq`, if any. */
  previousReading(
    conversationId: string,
    seq: number,
  ): Promise<Extract<StoredEvent, { type: 'sentiment.changed' }> | null>;
  supervisorsOf(queueId: string): Promise<Agent[]>;
  agent(id: string): Promise<Agent | null>;
  publish(event: DomainEvent): Promise<unknown>;
}

export function createSentimentAlerts(ports: AlertPorts, onError: (err: unknown) => void) {
  const pending = new Set<Promise<void>>();

  async function handle(e: Extract<StoredEvent, { type: 'sentiment.changed' }>): Promise<void> {
    const c = await ports.conversation(e.conversationId);
    if (!c) return;
    const prev = await ports.previousReading(e.conversationId, e.seq);
    const recipients: AlertRecipient[] = [];
    if (c.agentId && (c.status === 'active' || c.status === 'offered' || c.status === 'wrap-up')) {
      const owner = await ports.agent(c.agentId);
      if (owner) recipients.push({ id: owner.id, role: 'agent', threshold: owner.sentimentThreshold });
    }
    if (c.queueId) {
      for (const s of await ports.supervisorsOf(c.queueId)) {
        if (s.id !== c.agentId)
          recipients.push({ id: s.id, role: 'supervisor', threshold: s.sentimentThreshold });
      }
    }
    const alerts = decideSentimentAlerts(
      prev ? { level: prev.level, score: prev.score, at: prev.at } : undefined,
      { level: e.level, score: e.score, at: e.at },
      recipients,
    );
    for (const a of alerts) {
      await ports.publish({
        type: 'sentiment.alert',
        conversationId: c.id,
        level: a.level,
        recipientId: a.recipientId,
        recipientRole: a.recipientRole,
      });
    }
  }

  return {
    onEvent(e: StoredEvent): void {
      if (e.type !== 'sentiment.changed') return;
      const p = handle(e).catch(onError);
      pending.add(p);
      void p.finally(() => pending.delete(p));
    },
    async idle(): Promise<void> {
      while (pending.size) await Promise.all([...pending]);
    },
  };
}

/** The ports on the repositories: what `createSentimentAlerts` reads, and where it publishes. */
export function sentimentAlertPorts(
  repos: Pick<Repositories, 'conversations' | 'events' | 'agents'>,
  publish: (event: DomainEvent) => Promise<unknown>,
): AlertPorts {
  return {
    conversation: (id) => repos.conversations.get(id),
    previousReading: async (id, seq) =>
      (await repos.events.ofConversation(id, 'sentiment.changed', { last: true, beforeSeq: seq }))[0] ?? null,
    supervisorsOf: (queueId) => repos.agents.find({ queueId, role: 'supervisor' }),
    agent: (id) => repos.agents.get(id),
    publish,
  };
}
