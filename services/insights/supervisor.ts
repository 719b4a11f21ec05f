import type { Deps, StoredEvent } from '../domain/index.js';
import { NotFoundError } from '../domain/index.js';
import type { Repositories } from '../store/index.js';
import { queueRealtime, smallestCost } from './realtime.js';

const ONGOING = ['waiting', 'offered', 'active', 'wrap-up'] as const;

/** What a supervisor watches: ongoing conversations in their queues and the real-time figures. */
export function createSupervisorView(
  repos: Pick<Repositories, 'agents' | 'queues' | 'conversations' | 'customers' | 'workstreams' | 'events'>,
  deps: Pick<Deps, 'now'>,
) {
  async function myQueues(agentId: string) {
    const me = await repos.agents.get(agentId);
    if (!me) throw new NotFoundError('agent.not_found', `Agent ${agentId} does not exist`);
    return repos.queues.getMany(me.queueIds);
  }

  return {
    async conversations(agentId: string) {
      const queues = await myQueues(agentId);
      const now = deps.now();
      const lists = await Promise.all(
        queues.map((q) => repos.conversations.find({ status: [...ONGOING], queueId: q.id }, { limit: 500 })),
      );
      const convs = lists.flat();
      const agentIds = [...new Set(convs.map((c) => c.agentId).filter((x): x is string => Boolean(x)))];
      const customers = await repos.customers.getMany([...new Set(convs.map((c) => c.customerId))]);
      const agents = await repos.agents.getMany(agentIds);
      // Alerts raised for this supervisor on each conversation (events name them as recipient).
      const alerts = await Promise.all(
        convs.map(
          async (c) =>
            (await repos.events.byConversation(c.id)).filter(
              (e: StoredEvent) => e.type === 'sentiment.alert' && e.recipientId === agentId,
            ).length,
        ),
      );
      return convs.map((c, i) => {
        const from = c.timestamps.queuedAt;
        const waitingNow = c.status === 'waiting' || c.status === 'offered';
        const until = waitingNow ? now : (c.timestamps.acceptedAt ?? now);
        return {
          id: c.id,
          status: c.status as (typeof ONGOING)[number],
          queueId: c.queueId ?? null,
          agentId: c.agentId ?? null,
          waitingSeconds: from ? Math.max(0, Math.round((until.getTime() - from.getTime()) / 1000)) : 0,
          sentiment: c.sentiment?.level ?? 'neutral',
          sentimentScore: c.sentiment?.score ?? 0,
          customerName: customers.find((x) => x.id === c.customerId)?.name ?? 'Guest',
          agentName: agents.find((a) => a.id === c.agentId)?.name ?? null,
          alerts: alerts[i] ?? 0,
        };
      });
    },

    async realtime(agentId: string) {
      const queues = await myQueues(agentId);
      const streams = await repos.workstreams.list({ limit: 1000 });
      const now = deps.now();
      return Promise.all(
        queues.map(async (q) => {
          const members = await repos.agents.listInQueue(q.id);
          const memberIds = members.map((m) => m.id);
          const [queued, handled] = await Promise.all([
            repos.conversations.find({ status: ['waiting', 'offered'], queueId: q.id }, { limit: 5000 }),
            Promise.all(memberIds.map((id) => repos.conversations.findByAgent(id, ['active', 'wrap-up']))),
          ]);
          return queueRealtime(q, members, [...queued, ...handled.flat()], smallestCost(q, streams), now);
        }),
      );
    },
  };
}

export type SupervisorView = ReturnType<typeof createSupervisorView>;
