import type { Deps } from '../../domain/deps.js';
import type { Case } from '../../domain/entities.js';
import { caseSchema } from '../../domain/schemas.js';
import type { Collection } from '../port.js';
import type { Counters } from './counters.js';
import {
  assertReferencesExist,
  insertNew,
  notFound,
  pageOptions,
  parseEntity,
  type Page,
} from './support.js';
import { EntityRecords } from './entity-records.js';

export const CASE_NUMBER_COUNTER = 'cases';
/** The first case is CAS-01001. */
export const CASE_NUMBER_START = 1000;

export type NewCase = Pick<Case, 'customerId' | 'title'> &
  Partial<Omit<Case, 'id' | 'number' | 'createdAt' | 'updatedAt' | 'customerId' | 'title'>>;
export type CasePatch = Partial<
  Omit<Case, 'id' | 'number' | 'customerId' | 'createdAt' | 'updatedAt' | 'conversationIds'>
>;

export function formatCaseNumber(n: number): string {
  return `CAS-${String(n).padStart(5, '0')}`;
}

export class Cases extends EntityRecords<Case, NewCase, CasePatch> {
  constructor(
    collection: Collection<Case>,
    private readonly counters: Counters,
    private readonly refs: {
      customers: Collection<{ id: string }>;
      conversations: Collection<{ id: string }>;
    },
    deps: Deps,
  ) {
    super(
      {
        collection,
        entity: 'case',
        schema: caseSchema,
        idPrefix: 'case',
        readOnly: ['conversationIds', 'number', 'customerId'],
        listSort: { createdAt: -1 },
        build: () => {
          throw new Error('Cases are created through Cases.create');
        },
        checkReferences: async (c) => {
          await assertReferencesExist(refs.customers, 'customer', [c.customerId], 'case');
          await assertReferencesExist(refs.conversations, 'conversation', c.conversationIds, 'case');
        },
      },
      deps,
    );
  }

  /** Opens a case with the next human number (CAS-01001, CAS-01002 …); the number is taken only once the input is valid. */
  override async create(input: NewCase & { id?: string }): Promise<Case> {
    const now = this.deps.now();
    const draft = parseEntity(
      caseSchema,
      {
        subject: '',
        product: '',
        priority: 'normal',
        caseType: 'question',
        description: '',
        status: 'active',
        conversationIds: [],
        ...input,
        id: input.id ?? this.deps.newId('case'),
        number: formatCaseNumber(CASE_NUMBER_START + 1),
        createdAt: now,
        updatedAt: now,
      },
      'case',
    );
    await this.config.checkReferences?.(draft);
    const doc = { ...draft, number: formatCaseNumber(await this.counters.next(CASE_NUMBER_COUNTER)) };
    await insertNew(this.collection, 'case', doc);
    return doc;
  }

  async getByNumber(number: string): Promise<Case | null> {
    return this.collection.findOne({ number });
  }

  async listByCustomer(customerId: string, page: Page = {}): Promise<Case[]> {
    return this.collection.find({ customerId }, { ...pageOptions(page), sort: { createdAt: -1 } });
  }

  async findByConversation(conversationId: string): Promise<Case[]> {
    return this.collection.find({ conversationIds: conversationId }, { sort: { createdAt: -1 } });
  }

  async linkConversation(caseId: string, conversationId: string): Promise<Case> {
    await assertReferencesExist(this.refs.conversations, 'conversation', [conversationId], 'case');
    const updated = await this.collection.findOneAndUpdate(
      { id: caseId },
      { $addToSet: { conversationIds: conversationId }, $set: { updatedAt: this.deps.now() } },
    );
    if (!updated) throw notFound('case', caseId);
    return updated;
  }
}
