import type { SentimentThreshold } from '../domain/index.js';
import { DomainError, ValidationError } from '../domain/index.js';
import { BASE_PRESENCES } from '../presence/index.js';
import type { DeskContext } from './context.js';
import type { DeskPorts } from './ports.js';
import { apiPresence, domainPresenceRequest, presenceLabel, presenceList } from './presence-names.js';

/** The signed-in agent's own settings: presence, queue opt-in, sentiment alert threshold. */
export function createProfile(p: DeskPorts, ctx: DeskContext) {
  const { repos, router, bus, deps } = p;

  async function me(agentId: string) {
    const a = await ctx.agent(agentId);
    const queues = await repos.queues.getMany(a.queueIds);
    const optedOut = new Set(a.optedOutQueueIds ?? []);
    const streams = await repos.workstreams.getMany([...new Set(queues.flatMap((q) => q.workstreamIds))]);
    // In which presences routing offers this agent customers (any of their queues' work streams):
    // in any other, but Offline, they can still be consulted (docs/agent-api.md, "Consult").
    const offered = new Set(streams.flatMap((w) => w.allowedPresences));
    return {
      id: a.id,
      name: a.name,
      email: a.email,
      roles: a.roles,
      presence: apiPresence(a.presence),
      presenceLabel: presenceLabel(a.chosenPresence, a.presenceLabel),
      chosenPresence: apiPresence(a.chosenPresence),
      capacity: { total: a.capacity, used: a.usedUnits },
      sentimentThreshold: a.sentimentThreshold,
      queues: a.queueIds.map((id) => ({
        id,
        name: queues.find((q) => q.id === id)?.name ?? id,
        optedIn: !optedOut.has(id),
      })),
      authMode: p.authMode,
      offersWhen: BASE_PRESENCES.filter((b) => offered.has(b)).map(apiPresence),
    };
  }

  return {
    me,
    presences: () => presenceList(p.customPresences),

    async setPresence(agentId: string, requested: string) {
      const name = domainPresenceRequest(requested, p.customPresences);
      if (!name) {
        throw new ValidationError('presence.unknown', `Unknown presence "${requested}"`, {
          known: presenceList(p.customPresences).map((x) => x.id),
        });
      }
      await router.presence.set(agentId, name);
      return me(agentId);
    },

    /** Opt in or out of one of my queues; routing offers nothing from an opted-out queue. */
    async setQueueOptIn(agentId: string, queueId: string, optedIn: boolean) {
      const a = await ctx.agent(agentId);
      if (!a.queueIds.includes(queueId)) {
        throw new DomainError(
          'agent.not_queue_member',
          `You are not a member of queue ${queueId}`,
          'forbidden',
        );
      }
      await repos.agents.setQueueOptIn(agentId, queueId, optedIn, deps.now());
      await bus.publish({ type: 'agent.queue_opt', agentId, queueId, optedIn });
      return me(agentId);
    },

    async setAlertThreshold(agentId: string, threshold: SentimentThreshold) {
      await repos.agents.update(agentId, { sentimentThreshold: threshold });
      return me(agentId);
    },
  };
}
