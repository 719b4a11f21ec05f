import type { Deps } from '../../domain/deps.js';
import type { KnowledgeArticle } from '../../domain/entities.js';
import { knowledgeArticleSchema } from '../../domain/schemas.js';
import type { Collection } from '../port.js';
import { EntityRecords } from './entity-records.js';

export type NewKnowledgeArticle = Pick<KnowledgeArticle, 'title' | 'body'> &
  Partial<Omit<KnowledgeArticle, 'id' | 'createdAt' | 'updatedAt'>>;
export type KnowledgeArticlePatch = Partial<Omit<KnowledgeArticle, 'id' | 'createdAt' | 'updatedAt'>>;

export class KnowledgeArticles extends EntityRecords<
  KnowledgeArticle,
  NewKnowledgeArticle,
  KnowledgeArticlePatch
> {
  constructor(collection: Collection<KnowledgeArticle>, deps: Deps) {
    super(
      {
        collection,
        entity: 'knowledge_article',
        schema: knowledgeArticleSchema,
        idPrefix: 'kb',
        listSort: { title: 1 },
        build: (input, id, now) => ({
          keywords: [],
          product: '',
          ...input,
          id,
          createdAt: now,
          updatedAt: now,
        }),
      },
      deps,
    );
  }

  /** Every article, for building the search index (the knowledge base is small: hundreds, not millions). */
  async all(): Promise<KnowledgeArticle[]> {
    return this.collection.find({}, { sort: { id: 1 } });
  }
}
