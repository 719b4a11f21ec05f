import type { Deps } from '../../domain/deps.js';
import type { KnowledgeArticle } from '../../domain/entities.js';
import { knowledgeArticleSchema } from '../../domain/schemas.js';
import type { Collection } from '../port.js';
import { EntityRecords } from './entity-records.js';

export type NewKnowledgeArticle = Pick<KnowledgeArticle, 'title' | 'body'> &
  Partial<Omit<KnowledgeArticle, 'id' | 'createdAt' | 'updatedAt'>>;
export type KnowledgeArticlePatch = Partial<Omit<KnowledgeArticle, 'id' | 'createdAt' | 'updatedAt'>>;

/** An article written through this repository: what listeners rebuild from. */
export interface KnowledgeArticleChange {
  kind: 'created' | 'updated' | 'removed';
  id: string;
}

export class KnowledgeArticles extends EntityRecords<
  KnowledgeArticle,
  NewKnowledgeArticle,
  KnowledgeArticlePatch
> {
  private readonly listeners = new Set<(change: KnowledgeArticleChange) => void>();

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

  /**
   * Changes when the articles do: their count and the newest `updatedAt`. Two cheap reads, so another
   * instance's edits (or a change made straight in the database) are noticed without reading them all.
   */
  async fingerprint(): Promise<string> {
    const [count, newest] = await Promise.all([
      this.collection.count({}),
      this.collection.findOne({}, { sort: { updatedAt: -1 } }),
    ]);
    return `${count}:${newest?.updatedAt.getTime() ?? 0}`;
  }

  /**
   * Hears every article written through this repository (in this process), once it is stored: the
   * bot's classifier and the search indexes rebuild on it instead of waiting for a restart.
   */
  onChange(listener: (change: KnowledgeArticleChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  override async insert(entity: KnowledgeArticle): Promise<KnowledgeArticle> {
    const stored = await super.insert(entity);
    this.tell({ kind: 'created', id: stored.id });
    return stored;
  }

  override async update(id: string, patch: KnowledgeArticlePatch): Promise<KnowledgeArticle> {
    const updated = await super.update(id, patch);
    this.tell({ kind: 'updated', id });
    return updated;
  }

  override async updateUnlessChanged(
    current: KnowledgeArticle,
    patch: KnowledgeArticlePatch,
  ): Promise<KnowledgeArticle | null> {
    const updated = await super.updateUnlessChanged(current, patch);
    if (updated) this.tell({ kind: 'updated', id: current.id });
    return updated;
  }

  override async remove(id: string): Promise<boolean> {
    const removed = await super.remove(id);
    if (removed) this.tell({ kind: 'removed', id });
    return removed;
  }

  private tell(change: KnowledgeArticleChange): void {
    // A listener's failure is its own: the write is stored and its caller answered.
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // listeners report their own errors
      }
    }
  }
}
