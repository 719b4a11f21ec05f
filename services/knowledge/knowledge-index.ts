import MiniSearch, { type SearchResult } from 'minisearch';
import type { KnowledgeArticle } from '../domain/index.js';
import { bestPassage, preparePassages, type PreparedPassage } from './snippet.js';
import { ideographic, indexTerm, queryTerms, searchTokens, tokenizeForSearch } from './terms.js';

/** What the index needs of an article; stored articles carry more (dates), which it ignores. */
export type IndexableArticle = Pick<KnowledgeArticle, 'id' | 'title' | 'keywords' | 'body' | 'product'>;

export interface KnowledgeHit {
  id: string;
  title: string;
  product: string;
  /** BM25+ relevance from minisearch; comparable within one query only. */
  score: number;
  /** The customer's own words that matched, in query order ("router", "blinking", "red"). */
  matchedTerms: string[];
  snippet: string;
}

export interface KnowledgeSearchOptions {
  /** Default 5. */
  limit?: number;
  /** Only articles of this product ("Billing", "Wi-Fi" …). */
  product?: string;
  /** Weight per processed query term (smart assist favours the customer's latest words). */
  boostTerm?: (term: string) => number;
}

export interface KnowledgeIndex {
  search(query: string, options?: KnowledgeSearchOptions): KnowledgeHit[];
  /** Adds the article, or replaces the stored version with the same id. */
  upsert(article: IndexableArticle): void;
  remove(id: string): boolean;
  get(id: string): IndexableArticle | undefined;
  readonly size: number;
}

/**
 * Field boosts: a word in the title says more about what the article answers than the same word in
 * the body; keywords sit between. On the demo question set they move MRR little (equal weights
 * 0.969, these 0.971), as the demo titles are short and distinct; they matter more on real, longer
 * bodies where common words recur.
 */
export const FIELD_BOOST = { title: 3, keywords: 2, body: 1 } as const;

// Edit distance grows with word length: one typo from 4 letters, two from 8. Short words match
// exactly, or "tv" would match "to"; two edits on 6–7 letters found swaps ("ruoter") but also
// matched "morning" to "working".
export function fuzziness(term: string): number | false {
  if (term.length < 4) return false;
  return term.length < 8 ? 1 : 2;
}

/**
 * Text handling and matching shared by every index of customer-facing text (articles here, past
 * cases in smart assist), so one query finds both the same way.
 */
export const SEARCH_OPTIONS = {
  tokenize: tokenizeForSearch,
  processTerm: indexTerm,
  searchOptions: {
    prefix: (term: string) => term.length >= 3,
    fuzzy: fuzziness,
    weights: { fuzzy: 0.45, prefix: 0.6 },
    combineWith: 'OR',
    processTerm: queryTerms,
  },
} as const;

/**
 * Fuzzy matching is most of minisearch's query time (10× in our bench), and a word the index already
 * holds is no typo, so only unknown words are matched fuzzily.
 */
export class Vocabulary {
  private readonly counts = new Map<string, number>();
  add(terms: Iterable<string>, delta: 1 | -1): void {
    for (const t of terms) {
      const n = (this.counts.get(t) ?? 0) + delta;
      if (n <= 0) this.counts.delete(t);
      else this.counts.set(t, n);
    }
  }
  fuzzinessOf = (term: string): number | false => (this.counts.has(term) ? false : fuzziness(term));
}

/** Distinct index terms of a document's fields, for the vocabulary. */
export function termsOf(texts: readonly string[]): Set<string> {
  const terms = new Set<string>();
  for (const text of texts)
    for (const token of tokenizeForSearch(text)) for (const t of indexTerm(token) ?? []) terms.add(t);
  return terms;
}

function newMiniSearch(vocabulary: Vocabulary): MiniSearch<IndexableArticle> {
  return new MiniSearch<IndexableArticle>({
    ...SEARCH_OPTIONS,
    fields: ['title', 'keywords', 'body'],
    storeFields: [],
    extractField: (doc, field) =>
      field === 'keywords'
        ? doc.keywords.join(' ')
        : String((doc as unknown as Record<string, unknown>)[field] ?? ''),
    searchOptions: {
      ...SEARCH_OPTIONS.searchOptions,
      fuzzy: vocabulary.fuzzinessOf,
      boost: { title: FIELD_BOOST.title, keywords: FIELD_BOOST.keywords },
    },
  });
}

/** Maps each processed query term back to the word the customer typed, for "matched: …" reasons. */
function surfaceWords(query: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const { term, surface } of searchTokens(query)) {
    for (const stem of queryTerms(term) ?? []) if (!map.has(stem)) map.set(stem, surface);
  }
  return map;
}

export function matchedSurfaceTerms(query: string, result: SearchResult): string[] {
  const surface = surfaceWords(query);
  const words = new Set<string>();
  for (const q of result.queryTerms) words.add(surface.get(q) ?? q);
  // Keep the order the customer used.
  return [...surface.values()].filter((w, i, all) => words.has(w) && all.indexOf(w) === i);
}

/** Words joined by spaces; the overlapping character pairs of Chinese or Japanese ("路由", "由器") as written ("路由器"). */
function phrase(words: readonly string[]): string {
  let out = '';
  for (const word of words) {
    const [first, ...rest] = [...word];
    if (out === '') out = word;
    else if (ideographic(word) && ideographic(out) && out.endsWith(first as string)) out += rest.join('');
    else out += ` ${word}`;
  }
  return out;
}

/**
 * The matched words grouped as the customer wrote them, for a reason line: words adjacent in one of
 * `texts` form one phrase ("router, blinking red"). Words compare folded, as the search compares
 * them, so "cafe" among the matched words marks "café" in the text.
 */
export function matchedPhrases(texts: string | readonly string[], matchedTerms: readonly string[]): string[] {
  const wanted = new Set(matchedTerms.flatMap(tokenizeForSearch));
  const phrases: string[] = [];
  const seen = new Set<string>();
  for (const text of typeof texts === 'string' ? [texts] : texts) {
    let current: string[] = [];
    for (const { term, surface } of searchTokens(text)) {
      if (wanted.has(term) && !seen.has(term)) {
        seen.add(term);
        current.push(surface);
      } else if (current.length > 0) {
        phrases.push(phrase(current));
        current = [];
      }
    }
    if (current.length > 0) phrases.push(phrase(current));
  }
  return phrases;
}

/** A knowledge-base search index (minisearch) that is kept current article by article. */
export function createKnowledgeIndex(articles: Iterable<IndexableArticle> = []): KnowledgeIndex {
  const vocabulary = new Vocabulary();
  const mini = newMiniSearch(vocabulary);
  const byId = new Map<string, IndexableArticle>();
  const passages = new Map<string, PreparedPassage[]>();
  const terms = new Map<string, Set<string>>();

  const upsert = (article: IndexableArticle): void => {
    const copy: IndexableArticle = {
      id: article.id,
      title: article.title,
      keywords: [...article.keywords],
      body: article.body,
      product: article.product,
    };
    if (byId.has(article.id)) mini.replace(copy);
    else mini.add(copy);
    byId.set(article.id, copy);
    passages.set(article.id, preparePassages(copy.body));
    vocabulary.add(terms.get(copy.id) ?? [], -1);
    const docTerms = termsOf([copy.title, ...copy.keywords, copy.body]);
    terms.set(copy.id, docTerms);
    vocabulary.add(docTerms, 1);
  };
  for (const a of articles) upsert(a);

  return {
    get size() {
      return byId.size;
    },
    get: (id) => byId.get(id),
    upsert,
    remove(id) {
      if (!byId.has(id)) return false;
      mini.discard(id);
      byId.delete(id);
      passages.delete(id);
      vocabulary.add(terms.get(id) ?? [], -1);
      terms.delete(id);
      return true;
    },
    search(query, options = {}) {
      const limit = options.limit ?? 5;
      const product = options.product;
      const results = mini.search(query, {
        ...(product === undefined
          ? {}
          : { filter: (r: SearchResult) => byId.get(r.id)?.product === product }),
        ...(options.boostTerm === undefined ? {} : { boostTerm: options.boostTerm }),
      });
      return results.slice(0, limit).map((r) => {
        const article = byId.get(r.id) as IndexableArticle;
        return {
          id: article.id,
          title: article.title,
          product: article.product,
          score: Math.round(r.score * 1000) / 1000,
          matchedTerms: matchedSurfaceTerms(query, r),
          snippet: bestPassage(passages.get(article.id) ?? [], new Set(r.terms)),
        };
      });
    },
  };
}
