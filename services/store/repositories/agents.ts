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

export interface ReserveOptions {
  /** Reserve only while the agent shows one of these presences (the work stream's allowed ones). */
  presences?: BasePresence[];
  at?: Date;
}

const COUNTERS = [
  'usedUnits',
  'activeItems',
  'version',
  'presence',
  'chosenPresence',
  'presenceLabel',
] as const;

export class Agents extends EntityRecords<Agent, NewAgent, AgentPatch> {
  constructor(collection: Collection<Agent>, queues: Collection<{ id: string }>, deps: Deps) {
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

  /** Members of a queue (routing candidates). */
  async listInQueue(queueId: string): Promise<Agent[]> {
    return this.find({ queueId }, { limit: 1000 });
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
   * Takes `units` of the agent's capacity in ONE conditional write (CONVENTIONS §13): the filter
   * holds the capacity it was computed from and the bound `usedUnits ≤ capacity − units`, so two
   * instances can never overbook. `null` when the agent has no room (or the presence no longer
   * allows work). A concurrent capacity change makes the filter miss; then it is retried once
   * against the new capacity.
   */
  async reserveCapacity(agentId: string, units: number, options: ReserveOptions = {}): Promise<Agent | null> {
    if (!Number.isInteger(units) || units < 0) {
      throw new ValidationError(
        'agent.invalid_units',
        `Capacity units must be a non-negative integer, got ${units}`,
      );
    }
    const at = options.at ?? this.deps.now();
    for (let attempt = 0; attempt < 2; attempt++) {
      const agent = await this.require(agentId);
      if (agent.usedUnits + units > agent.capacity) return null;
      const filter: Filter = {
        id: agentId,
        capacity: agent.capacity,
        usedUnits: { $lte: agent.capacity - units },
      };
      if (options.presences) filter.presence = { $in: options.presences };
      const updated = await this.collection.findOneAndUpdate(filter, {
        $inc: { usedUnits: units, activeItems: 1, version: 1 },
        $set: { lastAssignedAt: at, updatedAt: at },
      });
      if (updated) return updated;
      const now = await this.require(agentId);
      if (now.capacity === agent.capacity) return null;
    }
    return null;
  }

  /** Gives `units` back when an item ends or an offer is declined; `null` if that would go below zero. */
  async releaseCapacity(agentId: string, units: number, at: Date = this.deps.now()): Promise<Agent | null> {
    if (!Number.isInteger(units) || units < 0) {
      throw new ValidationError(
        'agent.invalid_units',
        `Capacity units must be a non-negative integer, got ${units}`,
      );
    }
    const updated = await this.collection.findOneAndUpdate(
      { id: agentId, usedUnits: { $gte: units }, activeItems: { $gte: 1 } },
      {
        $inc: { usedUnits: -units, activeItems: -1, version: 1 },
        $set: { lastItemEndedAt: at, updatedAt: at },
      },
    );
    if (!updated && (await this.get(agentId)) === null) throw notFound('agent', agentId);
    return updated;
  }
}
