import type { Deps } from '../../domain/deps.js';
import type { Note } from '../../domain/entities.js';
import { noteSchema } from '../../domain/schemas.js';
import type { Collection, Filter } from '../port.js';
import { EntityRecords } from './entity-records.js';
import { assertReferencesExist } from './support.js';

export type NewNote = Pick<Note, 'authorId' | 'text'> &
  Partial<Omit<Note, 'id' | 'createdAt' | 'authorId' | 'text'>>;

export class Notes extends EntityRecords<Note, NewNote, Pick<Note, 'text'>> {
  constructor(
    collection: Collection<Note>,
    refs: {
      conversations: Collection<{ id: string }>;
      cases: Collection<{ id: string }>;
      customers: Collection<{ id: string }>;
      agents: Collection<{ id: string }>;
    },
    deps: Deps,
  ) {
    super(
      {
        collection,
        entity: 'note',
        schema: noteSchema,
        idPrefix: 'note',
        listSort: { createdAt: 1 },
        build: (input, id, now) => ({ ...input, id, createdAt: now }),
        checkReferences: async (note) => {
          await assertReferencesExist(refs.conversations, 'conversation', [note.conversationId], 'note');
          await assertReferencesExist(refs.cases, 'case', [note.caseId], 'note');
          await assertReferencesExist(refs.customers, 'customer', [note.customerId], 'note');
          await assertReferencesExist(refs.agents, 'agent', [note.authorId], 'note');
        },
      },
      deps,
    );
  }

  /** Notes on a conversation, a case or a customer, oldest first. */
  async listFor(subject: { conversationId?: string; caseId?: string; customerId?: string }): Promise<Note[]> {
    const filter: Filter = {};
    if (subject.conversationId) filter.conversationId = subject.conversationId;
    if (subject.caseId) filter.caseId = subject.caseId;
    if (subject.customerId) filter.customerId = subject.customerId;
    if (Object.keys(filter).length === 0) return [];
    return this.findWhere(filter, { limit: 1000 }, { createdAt: 1 });
  }
}
