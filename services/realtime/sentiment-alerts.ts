import {
  decideArrivalAlerts,
  decideSentimentAlerts,
  type AlertRecipient,
  type SentimentAlert,
} from '../assist/index.js';
import type { Agent, Conversation, DomainEvent, StoredEvent } from '../domain/index.js';
import type { Repositories } from '../store/index.js';

// When a conversation's live sentiment crosses an agent's or a supervisor's threshold, an
// `alert` (`sentiment.alert` event) is stored for them — once per crossing, re-armed when the
// reading recovers (the rule is `decideSentimentAlerts`). Recipients: the conversation's agent, and
// supervisors of its queue only. Someone who starts watching a conversation already past their
// threshold — its agent on accepting it, its queue's supervisors when it is queued — is alerted
// then (`decideArrivalAlerts`): a customer angry from their first message would otherwise raise no
// alert for anyone. Runs where the event was published, so each is judged by exactly one instance;
// one conversation's events are judged one after another, so a crossing and an arrival at the same
// moment alert once.

export interface AlertPorts {
  conversation(id: string): Promise<Conversation | null>;
  /** The conversation's sentiment reading before the one numbered `seq`, if any. */
  previousReading(
    conversationId: string,
    seq: number,
  ): Promise<Extract<StoredEvent, { type: 'sentiment.changed' }> | null>;
  /** All of the conversation's readings, in log order. */
  readings(conversationId: string): Promise<Array<Extract<StoredEvent, { type: 'sentiment.changed' }>>>;
  /** All of the conversation's alerts, in log order. */
  alertsOf(conversationId: string): Promise<Array<Extract<StoredEvent, { type: 'sentiment.alert' }>>>;
  supervisorsOf(queueId: string): Promise<Agent[]>;
  agent(id: string): Promise<Agent | null>;
  publish(event: DomainEvent): Promise<unknown>;
}

export function createSentimentAlerts(ports: AlertPorts, onError: (err: unknown) => void) {
  const pending = new Set<Promise<void>>();
  /** The last judgement queued per conversation: the next one starts after it. */
  const lastOf = new Map<string, Promise<void>>();

  async function publish(conversationId: string, alerts: readonly SentimentAlert[]): Promise<void> {
    for (const a of alerts) {
      await ports.publish({
        type: 'sentiment.alert',
        conversationId,
        level: a.level,
        recipientId: a.recipientId,
        recipientRole: a.recipientRole,
      });
    }
  }

  async function supervisorsOf(queueId: string, except?: string): Promise<AlertRecipient[]> {
    return (await ports.supervisorsOf(queueId))
      .filter((s) => s.id !== except)
      .map((s) => ({ id: s.id, role: 'supervisor', threshold: s.sentimentThreshold }));
  }

  async function handle(e: Extract<StoredEvent, { type: 'sentiment.changed' }>): Promise<void> {
    const c = await ports.conversation(e.conversationId);
    if (!c) return;
    const prev = await ports.previousReading(e.conversationId, e.seq);
    const recipients: AlertRecipient[] = [];
    if (c.agentId && (c.status === 'active' || c.status === 'offered' || c.status === 'wrap-up')) {
      const owner = await ports.agent(c.agentId);
      if (owner) recipients.push({ id: owner.id, role: 'agent', threshold: owner.sentimentThreshold });
    }
    if (c.queueId) recipients.push(...(await supervisorsOf(c.queueId, c.agentId)));
    let alerts = decideSentimentAlerts(
      prev ? { level: prev.level, score: prev.score, at: prev.at } : undefined,
      { level: e.level, score: e.score, at: e.at },
      recipients,
    );
    if (alerts.length > 0) {
      // An arrival judged since the previous reading may have told them already.
      const told = new Set(
        (await ports.alertsOf(c.id))
          .filter((a) => a.seq > (prev?.seq ?? -Infinity))
          .map((a) => a.recipientId),
      );
      alerts = alerts.filter((a) => !told.has(a.recipientId));
    }
    await publish(c.id, alerts);
  }

  /** Someone began to watch the conversation: alert them if it already stands past their threshold. */
  async function arrive(conversationId: string, recipients: () => Promise<AlertRecipient[]>): Promise<void> {
    const readings = await ports.readings(conversationId);
    if (readings.length === 0) return;
    const [alerted, who] = await Promise.all([ports.alertsOf(conversationId), recipients()]);
    const alerts = decideArrivalAlerts(
      readings.map((r) => ({ seq: r.seq, value: r.level })),
      alerted.map((a) => ({ seq: a.seq, value: a.recipientId })),
      who,
    );
    await publish(conversationId, alerts);
  }

  function judge(conversationId: string, work: () => Promise<void>): void {
    const p = (lastOf.get(conversationId) ?? Promise.resolve()).then(work).catch(onError);
    lastOf.set(conversationId, p);
    pending.add(p);
    void p.finally(() => {
      pending.delete(p);
      if (lastOf.get(conversationId) === p) lastOf.delete(conversationId);
    });
  }

  return {
    onEvent(e: StoredEvent): void {
      if (e.type === 'sentiment.changed') judge(e.conversationId, () => handle(e));
      else if (e.type === 'conversation.accepted') {
        const agentId = e.agentId;
        judge(e.conversationId, () =>
          arrive(e.conversationId, async () => {
            const agent = await ports.agent(agentId);
            return agent ? [{ id: agent.id, role: 'agent', threshold: agent.sentimentThreshold }] : [];
          }),
        );
      } else if (e.type === 'conversation.queued') {
        const queueId = e.queueId;
        judge(e.conversationId, () =>
          arrive(e.conversationId, async () => {
            const c = await ports.conversation(e.conversationId);
            return supervisorsOf(queueId, c?.agentId);
          }),
        );
      }
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
      (await repos.events.ofConversation(id, 'sentiment.changed', { latest: 1, beforeSeq: seq }))[0] ?? null,
    readings: (id) => repos.events.ofConversation(id, 'sentiment.changed'),
    alertsOf: (id) => repos.events.ofConversation(id, 'sentiment.alert'),
    supervisorsOf: (queueId) => repos.agents.find({ queueId, role: 'supervisor' }),
    agent: (id) => repos.agents.get(id),
    publish,
  };
}
