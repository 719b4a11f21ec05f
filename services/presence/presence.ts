import type { Agent, BasePresence, CustomPresence, Deps, DomainEvent } from '../domain/index.js';
import { NotFoundError, presenceForLoad } from '../domain/index.js';
import type { Repositories } from '../store/index.js';
import { resolvePresence } from './presence-rules.js';

export interface PresenceView {
  agentId: string;
  /** What the agent shows now (Busy while held at full capacity). */
  presence: BasePresence;
  chosenPresence: BasePresence;
  label?: string;
}

export interface PresenceOptions {
  agents: Pick<Repositories['agents'], 'get' | 'setPresence' | 'showPresenceIf'>;
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
   * The agent let an offer run out: they are set Away, as if they had chosen it, so routing stops
   * offering them work until they choose Available again (an agent who left without signing out
   * would otherwise hold every customer for an offer's time). Contact centres call it "missed".
   */
  missedOffer(agentId: string): Promise<void>;
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
 * Agent presence. Every change is a `presence.changed` event; routing listens to
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
    // Conditional on the load and choice it was computed from (see Agents.showPresenceIf).
    const n = (await agents.showPresenceIf(agent, shown, deps.now())) ? 1 : 0;
    if (n === 1)
      await bus.publish({ type: 'presence.changed', agentId: agent.id, presence: shown, automatic: true });
  }

  return {
    async set(agentId, requested) {
      const { base, label } = resolvePresence(requested, custom);
      // Throws agent.not_found for an unknown agent.
      const updated = await agents.setPresence(agentId, {
        presence: base,
        chosenPresence: base,
        presenceLabel: label ?? null,
      });
      await bus.publish({ type: 'presence.changed', agentId, presence: base, automatic: false });
      // A full agent choosing Available still shows Busy until room frees up.
      await applyLoad(updated);
      const now = await agents.get(agentId);
      return view(now ?? updated);
    },

    async missedOffer(agentId) {
      const a = await agents.get(agentId);
      // Away says "not answering"; one who chose not to be disturbed or to be gone said more.
      if (
        !a ||
        a.chosenPresence === 'away' ||
        a.chosenPresence === 'offline' ||
        a.chosenPresence === 'busy-dnd'
      )
        return;
      await agents.setPresence(agentId, { presence: 'away', chosenPresence: 'away', presenceLabel: null });
      await bus.publish({
        type: 'presence.changed',
        agentId,
        presence: 'away',
        automatic: false,
        reason: 'missed-offer',
      });
    },

    async get(agentId) {
      const a = await agents.get(agentId);
      if (!a) throw new NotFoundError('agent.not_found', `agent ${agentId} does not exist`);
      return view(a);
    },

    applyLoad,
  };
}
