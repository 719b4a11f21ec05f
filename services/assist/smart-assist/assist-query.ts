import { queryTerms, tokenizeForSearch } from '../../knowledge/index.js';

/** Only the recent part of a long conversation says what it is about now. */
export const QUERY_WINDOW_MESSAGES = 6;
const MAX_QUERY_WORDS = 24;
/** Words of the newest customer message count this much more. */
export const LATEST_MESSAGE_BOOST = 1.5;

export interface AssistQuery {
  /** Distinct content words in the order the customer first used them. */
  text: string;
  /** The customer messages the query was built from, for phrase-shaped reasons. */
  source: readonly string[];
  /** Processed terms of the newest message, for `boostTerm`. */
  latestTerms: ReadonlySet<string>;
}

/**
 * The search query for what the customer has said so far: content words of the last few customer
 * messages, each once, the most recent kept when the cap is reached. Pure, so a session can compare
 * it with the previous query and skip the search when nothing changed.
 */
export function assistQuery(customerTexts: readonly string[]): AssistQuery {
  const recent = customerTexts.slice(-QUERY_WINDOW_MESSAGES);
  const words: string[] = [];
  for (const text of recent)
    for (const t of tokenizeForSearch(text)) if (queryTerms(t) !== null) words.push(t);
  // First-use order keeps the query stable when a customer repeats themselves (so the search is
  // skipped); over the cap, the words least recently used go first.
  const lastUse = new Map<string, number>();
  words.forEach((w, i) => lastUse.set(w, i));
  let distinct = [...lastUse.keys()];
  if (distinct.length > MAX_QUERY_WORDS) {
    const keep = new Set(
      [...lastUse.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, MAX_QUERY_WORDS)
        .map(([w]) => w),
    );
    distinct = distinct.filter((w) => keep.has(w));
  }
  const latestTerms = new Set<string>();
  const latest = recent[recent.length - 1];
  if (latest !== undefined) {
    for (const t of tokenizeForSearch(latest)) for (const term of queryTerms(t) ?? []) latestTerms.add(term);
  }
  return { text: distinct.join(' '), source: recent, latestTerms };
}
