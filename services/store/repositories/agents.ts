import type { Deps } from '../../domain/deps.js';
import type { Agent, BasePresence, Role } from '../../domain/entities.js';
import { ValidationError } from '../../domain/errors.js';
import { agentSchema, basePresence } from '../../domain/schemas.js';
import type { Collection, Filter } from '../port.js';
import { EntityRecords } from './entity-records.js';
import { assertReferencesExist, notFound, parseEntity, type Page } from './support.js';

export type NewAgent = Pick<Agent, 'name' | 'email'> &
  Partial<Omit<Agent, 'id' | 'version' | 'createdAt' | 'updatedAt' | 'usedUnits' | 'activeItems'>>;

/** What an administrator or the agent may change; capacity counters move only through reserve/release. */
export type AgentPatch = Partial<
  Pick<
    Agent,
    | 'name'
    | 'email'
    | 'aadObjectId'
    | 'roles'
    | 'queueIds'
    | 'skills'
    | 'capacity'
    | 'sentimentThreshold'
    | 'teamsConversationRef'
  >
>;

export interface PresenceChange {
  presence: BasePresence;
  chosenPresence?: BasePresence;
  /** A custom presence's label; `null` clears it. */
  presenceLabel?: string | null;
}

/** One item's claim on an agent's capacity, kept on the agent document itself. */
export interface CapacityHold {
  /** Always true: lets "no hold yet" be the filter `held ≠ true`, which stores decide without a query engine. */
  held: true;
  units: number;
  /** When it was taken: a hold older than the lease whose item is not with the agent is a leak. */
  at: Date;
}

/** The agent as stored, with the holds that explain its `usedUnits`. */
export type AgentWithHolds = Agent & { capacityHolds?: Record<string, CapacityHold> };

const HOLDS = 'capacityHolds';

const COUNTERS = [
  'usedUnits',
  'activeItems',
  'version',
  'presence',
  'chosenPresence',
  'presenceLabel',
] as const;

export class Agents extends EntityRecords<Agent, NewAgent, AgentPatch> {
  private readonly ledger: Collection<AgentWithHolds>;

  constructor(collection: Collection<AgentWithHolds>, queues: Collection<{ id: string }>, deps: Deps) {
    super(
      {
        collection,
        entity: 'agent',
        schema: agentSchema,
        idPrefix: 'agent',
        readOnly: COUNTERS,
        listSort: { name: 1, id: 1 },
        build: (input, id, now) => ({
          roles: ['agent'] as Role[],
          queueIds: [],
          skills: [],
          capacity: 100,
          presence: 'offline',
          chosenPresence: input.presence ?? 'offline',
          sentimentThreshold: 'negative',
          ...input,
          id,
          usedUnits: 0,
          activeItems: 0,
          version: 1,
          createdAt: now,
          updatedAt: now,
        }),
        checkReferences: (agent) => assertReferencesExist(queues, 'queue', agent.queueIds, 'agent'),
      },
      deps,
    );
    this.ledger = collection;
  }

  async getByAadObjectId(aadObjectId: string): Promise<Agent | null> {
    return this.collection.findOne({ aadObjectId });
  }

  async getByEmail(email: string): Promise<Agent | null> {
    return this.collection.findOne({ email });
  }

  async find(
    query: { queueId?: string; role?: Role; presence?: BasePresence[] } = {},
    page: Page = {},
  ): Promise<Agent[]> {
    const filter: Filter = {};
    if (query.queueId) filter.queueIds = query.queueId;
    if (query.role) filter.roles = query.role;
    if (query.presence) filter.presence = { $in: query.presence };
    return this.findWhere(filter, page);
  }

  /** Opts the agent in or out of one of their queues (one atomic write; routing re-reads the agent). */
  async setQueueOptIn(
    id: string,
    queueId: string,
    optedIn: boolean,
    at: Date = this.deps.now(),
  ): Promise<Agent> {
    const updated = await this.collection.findOneAndUpdate(
      { id },
      {
        ...(optedIn
          ? { $pull: { optedOutQueueIds: queueId } }
          : { $addToSet: { optedOutQueueIds: queueId } }),
        $set: { updatedAt: at },
        $inc: { version: 1 },
      },
    );
    if (!updated) throw notFound('agent', id);
    return updated;
  }

  /** Every member of a queue, however many (a page would leave some out of the queue's figures). */
  async listInQueue(queueId: string): Promise<Agent[]> {
    return this.collection.find({ queueIds: queueId }, { sort: { id: 1 } });
  }

  async setPresence(id: string, change: PresenceChange): Promise<Agent> {
    const presence = parseEntity(basePresence, change.presence, 'agent');
    const $set: Record<string, unknown> = { presence, updatedAt: this.deps.now() };
    if (change.chosenPresence !== undefined)
      $set.chosenPresence = parseEntity(basePresence, change.chosenPresence, 'agent');
    if (typeof change.presenceLabel === 'string') {
      if (change.presenceLabel.trim() === '')
        throw new ValidationError('agent.invalid', 'Empty presence label');
      $set.presenceLabel = change.presenceLabel;
    }
    const updated = await this.collection.findOneAndUpdate(
      { id },
      {
        $set,
        $inc: { version: 1 },
        ...(change.presenceLabel === null ? { $unset: { presenceLabel: '' } } : {}),
      },
    );
    if (!updated) throw notFound('agent', id);
    return updated;
  }

  /**
   * Shows the presence the agent's load calls for (Busy when full, back to the chosen one when not),
   * conditional on the load and choice it was computed from: if either moved meanwhile, whoever moved
   * it recomputes, so a stale flip never overwrites a newer one. True when it was written.
   */
  async showPresenceIf(
    seen: Pick<Agent, 'id' | 'usedUnits' | 'chosenPresence' | 'presence'>,
    shown: BasePresence,
    at: Date = this.deps.now(),
  ): Promise<boolean> {
    const n = await this.collection.updateOne(
      {
        id: seen.id,
        usedUnits: seen.usedUnits,
        chosenPresence: seen.chosenPresence,
        presence: seen.presence,
      },
      { $set: { presence: shown, updatedAt: at } },
    );
    return n === 1;
  }

  /**
   * Every agent with the capacity holds that explain its load, in one read (the router's resync
   * reads them a slice at a time: `ids`, `getManyWithHolds`).
   */
  async listWithHolds(): Promise<AgentWithHolds[]> {
    return this.ledger.find({});
  }

  /** Every agent's id: routing's resync reads the agents themselves a slice at a time. */
  async ids(): Promise<string[]> {
    const docs = await this.ledger.findFields({}, ['id']);
    return docs.flatMap(({ id }) => (id ? [id] : []));
  }

  /** These agents as stored, with their holds (those that no longer exist are left out). */
  async getManyWithHolds(ids: readonly string[]): Promise<AgentWithHolds[]> {
    if (ids.length === 0) return [];
    return this.ledger.find({ id: { $in: [...ids] } });
  }

  async getWithHolds(id: string): Promise<AgentWithHolds | null> {
    return this.ledger.findOne({ id });
  }

  /**
   * Reserves one conversation's units on the agent in ONE conditional write (a claim is one write,
   * never read-then-write): only while `usedUnits ≤ capacity − units` for the capacity the decision
   * was computed from, the chosen presence is one of `presences`, and this conversation holds nothing
   * on the agent yet — so two instances can never overbook, and a retried reservation can never
   * count twice. `null` when any of that does not hold.
   *
   * The hold map is the ledger the routing sweep uses to find capacity leaked by an instance that
   * crashed between reserving and claiming the conversation (docs/decisions/0002-routing.md).
   */
  async reserveHold(input: {
    agentId: string;
    conversationId: string;
    units: number;
    capacity: number;
    presences: readonly BasePresence[];
    at?: Date;
  }): Promise<AgentWithHolds | null> {
    const { agentId, conversationId, units, capacity, presences } = input;
    if (!Number.isInteger(units) || units < 0) {
      throw new ValidationError(
        'agent.invalid_units',
        `Capacity units must be a non-negative integer, got ${units}`,
      );
    }
    const at = input.at ?? this.deps.now();
    return this.ledger.findOneAndUpdate(
      {
        id: agentId,
        capacity,
        usedUnits: { $lte: capacity - units },
        chosenPresence: { $in: [...presences] },
        [`${HOLDS}.${conversationId}.held`]: { $ne: true },
      },
      {
        $inc: { usedUnits: units, activeItems: 1, version: 1 },
        // The per-conversation key last: V8 makes a new hidden class for an object's every new key
        // and for each key after it, in this literal and in the store's copy of it.
        $set: {
          lastAssignedAt: at,
          updatedAt: at,
          [`${HOLDS}.${conversationId}`]: { held: true, units, at },
        },
      },
    );
  }

  /**
   * Gives back whatever the conversation holds on the agent, exactly once whoever (close, abandon,
   * transfer, sweep) gets there first: the write is conditional on the hold's units. `endedAt` marks
   * the end of a handled item (least-active routing reads it); declined offers and leaks leave
   * `lastItemEndedAt` alone. `null` when there was nothing to give back.
   */
  async releaseHold(
    agentId: string,
    conversationId: string,
    at: Date = this.deps.now(),
    endedAt?: Date,
  ): Promise<AgentWithHolds | null> {
    const agent = await this.ledger.findOne({ id: agentId });
    const hold = agent?.capacityHolds?.[conversationId];
    if (!hold) return null;
    return this.ledger.findOneAndUpdate(
      { id: agentId, [`${HOLDS}.${conversationId}.units`]: hold.units },
      {
        $inc: { usedUnits: -hold.units, activeItems: -1, version: 1 },
        $unset: { [`${HOLDS}.${conversationId}`]: '' },
        $set: { updatedAt: at, ...(endedAt ? { lastItemEndedAt: endedAt } : {}) },
      },
    );
  }
}
