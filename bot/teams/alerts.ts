import type { StoredEvent } from '../../services/domain/index.js';
import { alertAttachment } from '../cards/index.js';
import type { TeamsContext } from './ports.js';
import { asTeamsRef, messageTo, targetOf } from './teams-refs.js';

export const ALERTS_COLLECTION = 'teams_alerts_sent';

/**
 * Sentiment alerts for supervisors, in their Teams chat. Whether a reading crosses someone's threshold
 * (once per crossing) is the alert rule's decision, made where `sentiment.alert` is published; this
 * only delivers each alert event once, even if the event is seen again.
 */
export async function createTeamsAlerts(ctx: TeamsContext) {
  const col = ctx.store.collection<{ key: string; at: Date }>(ALERTS_COLLECTION);
  await col.ensureIndex({ keys: { key: 1 }, unique: true });
  const pending = new Set<Promise<unknown>>();

  async function deliver(event: Extract<StoredEvent, { type: 'sentiment.alert' }>): Promise<void> {
    if (event.recipientRole !== 'supervisor') return;
    const supervisor = await ctx.repos.agents.get(event.recipientId);
    const ref = asTeamsRef(supervisor?.teamsConversationRef);
    const c = await ctx.repos.conversations.get(event.conversationId);
    if (!supervisor || !ref || !c) return;
    // Claim the alert before sending: a replayed event finds the claim and sends nothing.
    const claimed = await col.findOneAndUpdate(
      { key: `${event.seq}` },
      { $setOnInsert: { key: `${event.seq}`, at: ctx.deps.now() } },
      { upsert: true, returnDocument: 'before' },
    );
    if (claimed) return;
    const [customer, queue, agent, recent] = await Promise.all([
      ctx.repos.customers.get(c.customerId),
      c.queueId ? ctx.repos.queues.get(c.queueId) : Promise.resolve(null),
      c.agentId ? ctx.repos.agents.get(c.agentId) : Promise.resolve(null),
      ctx.repos.messages.latest(c.id, 20),
    ]);
    const last = [...recent].reverse().find((m) => m.author === 'customer');
    await ctx.sender.send(
      targetOf(ref),
      messageTo(ref, {
        attachments: [
          alertAttachment({
            conversationId: c.id,
            level: event.level,
            customerName: customer?.name ?? 'Customer',
            channel: c.channel,
            queueName: queue?.name ?? 'No queue',
            agentName: agent?.name,
            lastCustomerMessage: last?.text,
            workspaceUrl: ctx.workspaceUrl(c.id),
          }),
        ],
      }),
    );
    ctx.log.info('teams sentiment alert sent', {
      conversationId: c.id,
      agentId: supervisor.id,
      level: event.level,
    });
  }

  const unsubscribe = ctx.bus.subscribe((event) => {
    if (event.type !== 'sentiment.alert') return;
    const done = deliver(event)
      .catch((err: unknown) =>
        ctx.log.error('teams alert failed', { err, conversationId: event.conversationId }),
      )
      .finally(() => pending.delete(done));
    pending.add(done);
  });

  return {
    async idle(): Promise<void> {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    stop: unsubscribe,
  };
}
