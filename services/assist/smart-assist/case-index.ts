import MiniSearch from 'minisearch';
import type { Case } from '../../domain/index.js';
import { matchedSurfaceTerms, SEARCH_OPTIONS, termsOf, Vocabulary } from '../../knowledge/index.js';

export type IndexableCase = Pick<
  Case,
  'id' | 'number' | 'title' | 'subject' | 'description' | 'product' | 'status'
>;

export interface CaseHit {
  id: string;
  number: string;
  title: string;
  status: Case['status'];
  score: number;
  matchedTerms: string[];
}

/** Past cases, searchable like articles: a title says most, then the subject, then the description. */
export const CASE_FIELD_BOOST = { title: 2, subject: 1.5, description: 1 } as const;

export interface CaseIndex {
  search(query: string, options?: { limit?: number; boostTerm?: (term: string) => number }): CaseHit[];
  upsert(c: IndexableCase): void;
  remove(id: string): boolean;
  readonly size: number;
}

export function createCaseIndex(cases: Iterable<IndexableCase> = []): CaseIndex {
  const vocabulary = new Vocabulary();
  const terms = new Map<string, Set<string>>();
  const mini = new MiniSearch<IndexableCase>({
    ...SEARCH_OPTIONS,
    fields: ['title', 'subject', 'description'],
    storeFields: [],
    searchOptions: {
      ...SEARCH_OPTIONS.searchOptions,
      fuzzy: vocabulary.fuzzinessOf,
      boost: { title: CASE_FIELD_BOOST.title, subject: CASE_FIELD_BOOST.subject },
    },
  });
  const byId = new Map<string, IndexableCase>();
  const upsert = (c: IndexableCase): void => {
    const copy: IndexableCase = {
      id: c.id,
      number: c.number,
      title: c.title,
      subject: c.subject,
      description: c.description,
      product: c.product,
      status: c.status,
    };
    if (byId.has(c.id)) mini.replace(copy);
    else mini.add(copy);
    byId.set(c.id, copy);
    vocabulary.add(terms.get(c.id) ?? [], -1);
    const docTerms = termsOf([copy.title, copy.subject, copy.description]);
    terms.set(c.id, docTerms);
    vocabulary.add(docTerms, 1);
  };
  for (const c of cases) upsert(c);

  return {
    get size() {
      return byId.size;
    },
    upsert,
    remove(id) {
      if (!byId.has(id)) return false;
      mini.discard(id);
      byId.delete(id);
      vocabulary.add(terms.get(id) ?? [], -1);
      terms.delete(id);
      return true;
    },
    search(query, options = {}) {
      const results = mini.search(query, options.boostTerm ? { boostTerm: options.boostTerm } : {});
      return results.slice(0, options.limit ?? 3).map((r) => {
        const c = byId.get(r.id) as IndexableCase;
        return {
          id: c.id,
          number: c.number,
          title: c.title,
          status: c.status,
          score: Math.round(r.score * 1000) / 1000,
          matchedTerms: matchedSurfaceTerms(query, r),
        };
      });
    },
  };
}
