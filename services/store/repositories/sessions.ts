import type { Deps } from '../../domain/deps.js';
import type { Session, SessionState } from '../../domain/entities.js';
import { sessionSchema } from '../../domain/schemas.js';
import type { Collection, Filter } from '../port.js';
import { EntityRecords } from './entity-records.js';
import { assertReferencesExist, parseEntity, type Page } from './support.js';

export type NewSession = Pick<Session, 'conversationId' | 'agentId' | 'mode'> &
  Partial<Omit<Session, 'id' | 'conversationId' | 'agentId' | 'mode'>>;
export type SessionPatch = Partial<Omit<Session, 'id' | 'conversationId' | 'agentId'>>;

const OPEN_STATES: SessionState[] = ['presented', 'accepted'];

export class Sessions extends EntityRecords<Session, NewSession, SessionPatch> {
  constructor(
    collection: Collection<Session>,
    private readonly refs: {
      conversations: Collection<{ id: string }>;
      agents: Collection<{ id: string }>;
      queues: Collection<{ id: string }>;
    },
    deps: Deps,
  ) {
    super(
      {
        collection,
        entity: 'session',
        schema: sessionSchema,
        idPrefix: 'sess',
        listSort: { presentedAt: 1 },
        build: (input, id, now) => ({ state: 'presented', presentedAt: now, focusMs: 0, ...input, id }),
        checkReferences: async (s) => {
          await assertReferencesExist(refs.conversations, 'conversation', [s.conversationId], 'session');
          await assertReferencesExist(refs.agents, 'agent', [s.agentId], 'session');
          await assertReferencesExist(refs.queues, 'queue', [s.queueId], 'session');
        },
      },
      deps,
    );
  }

  /**
   * Several new sessions in one insert (routing records the offers of many decisions at once).
   * All are validated and their references checked before anything is stored.
   */
  async createMany(inputs: readonly NewSession[]): Promise<Session[]> {
    const now = this.deps.now();
    const docs = inputs.map((input) =>
      parseEntity(
        sessionSchema,
        this.config.build(input, this.deps.newId(this.config.idPrefix), now),
        'session',
      ),
    );
    if (docs.length === 0) return [];
    await assertReferencesExist(
      this.refs.conversations,
      'conversation',
      docs.map((d) => d.conversationId),
      'session',
    );
    await assertReferencesExist(
      this.refs.agents,
      'agent',
      docs.map((d) => d.agentId),
      'session',
    );
    await assertReferencesExist(
      this.refs.queues,
      'queue',
      docs.map((d) => d.queueId),
      'session',
    );
    await this.collection.insertMany(docs);
    return docs;
  }

  /** The agent's session on the conversation that is still presented or accepted, if any. */
  async findOpen(conversationId: string, agentId: string): Promise<Session | null> {
    return this.collection.findOne(
      { conversationId, agentId, state: { $in: OPEN_STATES } },
      { sort: { presentedAt: -1 } },
    );
  }

  async listByConversation(conversationId: string): Promise<Session[]> {
    return this.findWhere({ conversationId }, { limit: 1000 }, { presentedAt: 1 });
  }

  async listByAgent(
    agentId: string,
    range: { from?: Date; to?: Date } = {},
    page: Page = {},
  ): Promise<Session[]> {
    const filter: Filter = { agentId };
    if (range.from || range.to) {
      filter.presentedAt = {
        ...(range.from ? { $gte: range.from } : {}),
        ...(range.to ? { $lt: range.to } : {}),
      };
    }
    return this.findWhere(filter, page, { presentedAt: 1 });
  }

  /** Open sessions of an agent (for focus tracking and sign-out). */
  async listOpenByAgent(agentId: string): Promise<Session[]> {
    return this.findWhere({ agentId, state: { $in: OPEN_STATES } }, { limit: 1000 }, { presentedAt: 1 });
  }

  /**
   * Moves the agent's session of the conversation that is in state `from` (one single-document write,
   * so replaying the event that caused it cannot move a second one).
   */
  async moveOpen(
    conversationId: string,
    agentId: string,
    from: SessionState,
    fields: Pick<Session, 'state'> & Partial<Pick<Session, 'acceptedAt' | 'endedAt'>>,
  ): Promise<void> {
    await this.collection.updateOne({ conversationId, agentId, state: from }, { $set: fields });
  }

  /**
   * The conversation is over (closed, or the customer left while it was presented): every session
   * still open on it ends, a consultant's and a monitor's too, who have no event of their own.
   */
  async endOpen(conversationId: string, at: Date): Promise<void> {
    await this.collection.updateMany(
      { conversationId, state: { $in: OPEN_STATES } },
      { $set: { state: 'ended', endedAt: at } },
    );
  }
}
