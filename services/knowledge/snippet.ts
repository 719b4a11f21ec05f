import { indexTerm, tokenizeForSearch } from './terms.js';

const MAX_SNIPPET = 180;

/**
 * The body passage that best shows why an article matched: the paragraph or list step holding the
 * matched terms, each weighted by how rarely the body uses it (in the router-lights article "router"
 * is everywhere, "red" marks the steps about red), trimmed to a preview length.
 */
export function snippetFor(body: string, matchedTerms: ReadonlySet<string>): string {
  const passages = body
    .split('\n')
    .map((p) => p.replace(/^\s*(?:-|\d+\.)\s*/u, '').trim())
    .filter((p) => p !== '');
  const occurrences = new Map<string, number>();
  const found = passages.map((p) => {
    const terms = new Set<string>();
    let leading = 0;
    tokenizeForSearch(p).forEach((token, i) => {
      for (const term of indexTerm(token) ?? []) {
        if (!matchedTerms.has(term)) continue;
        terms.add(term);
        occurrences.set(term, (occurrences.get(term) ?? 0) + 1);
        if (i < 3) leading++;
      }
    });
    return { terms, leading };
  });

  let best = passages[0] ?? '';
  let bestScore = 0;
  found.forEach(({ terms, leading }, i) => {
    // A step that starts with the customer's words ("Blinking red: …") is about them.
    let score = 0.1 * leading;
    for (const t of terms) score += 1 / (occurrences.get(t) as number);
    if (score > bestScore) {
      best = passages[i] as string;
      bestScore = score;
    }
  });
  return best.length <= MAX_SNIPPET ? best : `${best.slice(0, best.lastIndexOf(' ', MAX_SNIPPET - 1))}…`;
}
