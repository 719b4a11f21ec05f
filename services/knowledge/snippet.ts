import { indexTerm, tokenizeForSearch } from './terms.js';

const MAX_SNIPPET = 180;
/** How many leading words of a passage count as its label ("Blinking red: …"). */
const LEADING_WORDS = 3;

export interface PreparedPassage {
  text: string;
  /** Index terms of each word, in order. */
  words: ReadonlyArray<readonly string[]>;
}

/** Splits a body into paragraphs and list steps with their terms; done once per article version. */
export function preparePassages(body: string): PreparedPassage[] {
  return body
    .split('\n')
    .map((p) => p.replace(/^\s*(?:-|\d+\.)\s*/u, '').trim())
    .filter((p) => p !== '')
    .map((text) => ({ text, words: tokenizeForSearch(text).map((t) => indexTerm(t) ?? []) }));
}

/**
 * The passage that best shows why an article matched: the paragraph or list step holding the matched
 * terms, each weighted by how rarely the body uses it (in the router-lights article "router" is
 * everywhere, "red" marks the steps about red), trimmed to a preview length.
 */
export function bestPassage(passages: readonly PreparedPassage[], matchedTerms: ReadonlySet<string>): string {
  const occurrences = new Map<string, number>();
  const found = passages.map((p) => {
    const terms = new Set<string>();
    let leading = 0;
    p.words.forEach((wordTerms, i) => {
      for (const term of wordTerms) {
        if (!matchedTerms.has(term)) continue;
        terms.add(term);
        occurrences.set(term, (occurrences.get(term) ?? 0) + 1);
        if (i < LEADING_WORDS) leading++;
      }
    });
    return { terms, leading };
  });

  let best = passages[0]?.text ?? '';
  let bestScore = 0;
  found.forEach(({ terms, leading }, i) => {
    // A step that starts with the customer's words ("Blinking red: …") is about them.
    let score = 0.1 * leading;
    for (const t of terms) score += 1 / (occurrences.get(t) as number);
    if (score > bestScore) {
      best = (passages[i] as PreparedPassage).text;
      bestScore = score;
    }
  });
  return best.length <= MAX_SNIPPET ? best : `${best.slice(0, best.lastIndexOf(' ', MAX_SNIPPET - 1))}…`;
}

export function snippetFor(body: string, matchedTerms: ReadonlySet<string>): string {
  return bestPassage(preparePassages(body), matchedTerms);
}
