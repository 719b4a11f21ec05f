import type { Agent, BasePresence, CustomPresence, Deps, DomainEvent } from '../domain/index.js';
import { NotFoundError, presenceForLoad } from '../domain/index.js';
import type { Collection } from '../store/port.js';
import { resolvePresence } from './presence-rules.js';

export interface PresenceView {
  agentId: string;
  /** What the agent shows now (Busy while held at full capacity). */
  presence: BasePresence;
  chosenPresence: BasePresence;
  label?: string;
}

export interface PresenceOptions {
  agents: Collection<Agent>;
  bus: { publish(event: DomainEvent): Promise<unknown> };
  deps: Pick<Deps, 'now'>;
  customPresences?: CustomPresence[];
  /**
   * Free units below which this agent counts as full: the smallest cost among the work streams of the
   * agent's queues (domain `presenceForLoad`). A function so the router answers from its current
   * configuration; default 1 (full only at zero free units).
   */
  fullAt?: (agent: Pick<Agent, 'queueIds'>) => number;
}

export interface Presence {
  /** Sets what the agent chose: a base presence or the name of a custom one. */
  set(agentId: string, presence: string): Promise<PresenceView>;
  get(agentId: string): Promise<PresenceView>;
  /**
   * Brings the shown presence in line with the agent's load after their used units changed: Busy at
   * full capacity, back to their choice when room frees up (domain `presenceForLoad`).
   */
  applyLoad(
    agent: Pick<Agent, 'id' | 'capacity' | 'usedUnits' | 'chosenPresence' | 'presence' | 'queueIds'>,
  ): Promise<void>;
}

function view(a: Pick<Agent, 'id' | 'presence' | 'chosenPresence' | 'presenceLabel'>): PresenceView {
  return {
    agentId: a.id,
    presence: a.presence,
    chosenPresence: a.chosenPresence,
    ...(a.presenceLabel ? { label: a.presenceLabel } : {}),
  };
}

/**
 * Agent presence (DESIGN.md §3/§4). Every change is a `presence.changed` event; routing listens to
 * those (going Offline re-routes the agent's pending offers, becoming Available dispatches work).
 */
export function createPresence(options: PresenceOptions): Presence {
  const { agents, bus, deps } = options;
  const custom = options.customPresences ?? [];
  const fullAt = options.fullAt ?? ((): number => 1);

  async function applyLoad(
    agent: Pick<Agent, 'id' | 'capacity' | 'usedUnits' | 'chosenPresence' | 'presence' | 'queueIds'>,
  ): Promise<void> {
    const shown = presenceForLoad(agent, Math.max(1, fullAt(agent)));
    if (shown === agent.presence) return;
    // Conditional on the load and choice it was computed from: if either moved meanwhile, whoever
    // moved it recomputes, so a stale flip never overwrites a newer one.
    const n = await agents.updateOne(
      {
        id: agent.id,
        usedUnits: agent.usedUnits,
        chosenPresence: agent.chosenPresence,
        presence: agent.presence,
      },
      { $set: { presence: shown, updatedAt: deps.now() } },
    );
    if (n === 1)
      await bus.publish({ type: 'presence.changed', agentId: agent.id, presence: shown, automatic: true });
  }

  return {
    async set(agentId, requested) {
      const { base, label } = resolvePresence(requested, custom);
      const updated = await agents.findOneAndUpdate(
        { id: agentId },
        {
          $set: {
            chosenPresence: base,
            presence: base,
            updatedAt: deps.now(),
            ...(label ? { presenceLabel: label } : {}),
          },
          ...(label ? {} : { $unset: { presenceLabel: '' as const } }),
          $inc: { version: 1 },
        },
      );
      if (!updated) throw new NotFoundError('agent.not_found', `agent ${agentId} does not exist`);
      await bus.publish({ type: 'presence.changed', agentId, presence: base, automatic: false });
      // A full agent choosing Available still shows Busy until room frees up.
      await applyLoad(updated);
      const now = await agents.findOne({ id: agentId });
      return view(now ?? updated);
    },

    async get(agentId) {
      const a = await agents.findOne({ id: agentId });
      if (!a) throw new NotFoundError('agent.not_found', `agent ${agentId} does not exist`);
      return view(a);
    },

    applyLoad,
  };
}
