import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import stopwords from 'natural/lib/natural/util/stopwords.js';
import { foldForMatching } from './fold.js';

// How text becomes index terms, shared by the article index and smart assist's case index so a
// query matches both the same way.

const STOPWORDS: ReadonlySet<string> = new Set([
  ...stopwords.words,
  // Chat filler that carries no topic.
  'hi',
  'hello',
  'hey',
  'please',
  'thanks',
  'thank',
  'want',
  'need',
  'help',
  'know',
  'tell',
  'like',
  'would',
  'could',
  'im',
  "i'm",
  'ive',
  "i've",
  'dont',
  "don't",
  'really',
  'just',
  'still',
  'keeps',
  'keep',
  'way',
  'right',
  'now',
  'today',
  'anyone',
  'someone',
  'getting',
  'only',
  // Asking for a person says nothing of the topic: "talk to a person" matched articles on "talk"
  // (fuzzily) and "agent" (in "an agent can remove it"), so smart assist suggested them.
  'talk',
  'speak',
  'speaking',
  'person',
  'human',
  'agent',
  'representative',
  'rep',
  'operator',
  'somebody',
  'real',
  // Agreeing, apologising, declining and taking leave say nothing of the topic either: "never mind,
  // I found it. bye" had smart assist offer the billing article for "mind", "no that is all" matched
  // articles on "no".
  'ok',
  'okay',
  'yes',
  'yeah',
  'yep',
  'sure',
  'great',
  'perfect',
  'cool',
  'awesome',
  'sorry',
  'mind',
  'nevermind',
  'found',
  'bye',
  'goodbye',
  'cheers',
  'no',
  'not',
  'lot',
  // How often and since when, and chat about the chat: "the third time this week" offered the
  // parental-controls article (screen time) beside the outage one; "my bill looks wrong" and "I left
  // a message" matched on "looks", "left" and "message". A topic's own words stay ("screen").
  'time',
  'times',
  'week',
  'looks',
  'left',
  'message',
]);

/** Words customers use for the same thing as the articles; applied to queries only. */
const SYNONYMS: Readonly<Record<string, string>> = {
  modem: 'router',
  reboot: 'restart',
  invoice: 'bill',
  statement: 'bill',
  wireless: 'wifi',
  internet: 'internet',
  booster: 'extender',
  repeater: 'extender',
  technician: 'technician',
  tech: 'technician',
  moving: 'move',
  relocate: 'move',
  money: 'refund',
  slow: 'slow',
  laggy: 'slow',
  lag: 'slow',
  terminate: 'cancel',
  quit: 'cancel',
  kids: 'children',
  child: 'children',
  freezing: 'buffering',
  freezes: 'buffering',
};

/** A word of the text as the index sees it, and as the customer wrote it (for "matched: …"). */
export interface SearchToken {
  term: string;
  surface: string;
}

/** Hyphens and minus signs other keyboards and word processors type for "-" ("wi‑fi" with U+2011). */
const DASHES = /[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]/gu;
/** Letters, their marks and digits of any script: a word is a run of these (and apostrophes). */
const WORD = /[\p{L}\p{M}\p{N}']+/gu;
/** Scripts written without spaces between words, whose runs are cut into overlapping pairs. */
const IDEOGRAPHIC_RUN = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}]+/gu;
const IDEOGRAPHIC = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}]/u;
const HAN = /\p{scx=Han}/u;
/** Other scripts written without spaces; ICU's dictionaries know where their words end. */
const UNSPACED = /[\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}]/u;
const wordSegmenter = new Intl.Segmenter(undefined, { granularity: 'word' });

/**
 * Chinese and Japanese have no spaces and no dictionary here: every two neighbouring characters
 * form a term ("路由器" gives "路由", "由器"), so a query finds an article sharing any pair; a lone
 * character stays a term.
 */
function bigrams(run: string): string[] {
  const chars = [...run];
  if (chars.length < 2) return chars;
  return chars.slice(1).map((c, i) => `${chars[i] as string}${c}`);
}

/** Whether the word ends in Chinese or Japanese script, whose terms are character pairs. */
export function ideographic(word: string): boolean {
  return IDEOGRAPHIC.test([...word].at(-1) ?? '');
}

function pieces(word: string): string[] {
  if (UNSPACED.test(word))
    return [...wordSegmenter.segment(word)].filter((s) => s.isWordLike).map((s) => s.segment);
  if (!IDEOGRAPHIC.test(word)) return [word];
  const out: string[] = [];
  let at = 0;
  for (const m of word.matchAll(IDEOGRAPHIC_RUN)) {
    if (m.index > at) out.push(word.slice(at, m.index));
    out.push(...bigrams(m[0]));
    at = m.index + m[0].length;
  }
  if (at < word.length) out.push(word.slice(at));
  return out;
}

/** Longer than any word of any language people write to us in ("Rechtsschutzversicherungsgesellschaften" is 39). */
export const MAX_WORD_LENGTH = 64;

/**
 * The words of a text in any script, each with its folded term (no case, no accents, compatibility
 * forms unified: "Café" and "cafe" are one term, "ＷｉＦｉ" is "wifi"). Joins spellings a default
 * tokenizer would split ("wi-fi", "e-mail"). Web addresses go first: "https://192.168.1.1" is no
 * topic, and its pieces matched articles.
 */
export function searchTokens(text: string): SearchToken[] {
  const normalized = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\b(?:https?:\/\/|www\.)\S+/gu, ' ')
    .replace(DASHES, '-')
    .replaceAll('wi-fi', 'wifi')
    .replaceAll('e-mail', 'email')
    .replaceAll('\u2019', "'");
  const tokens: SearchToken[] = [];
  for (const [word] of normalized.matchAll(WORD)) {
    // No word is this long: a pasted image, a hash or a key is no topic, and stemming and indexing
    // one cost time growing faster than its length (a 90,000-letter one held the server 100 s).
    if (word.length > MAX_WORD_LENGTH) continue;
    for (const surface of pieces(word)) {
      const term = foldForMatching(surface);
      if (term !== '') tokens.push({ term, surface });
    }
  }
  return tokens;
}

/** The folded terms of `searchTokens`: what minisearch indexes and looks up. */
export function tokenizeForSearch(text: string): string[] {
  return searchTokens(text).map((t) => t.term);
}

function clean(term: string): string | null {
  const t = term.replace(/'s$/u, '').replaceAll("'", '');
  // One letter is a fragment ("s", "t"); one Chinese character can be a word.
  const fragment = t.length < 2 && !HAN.test(t);
  return fragment || STOPWORDS.has(term) || STOPWORDS.has(t) ? null : t;
}

/**
 * Index-time term processing: stop words out, the Porter stem, and the word itself when it differs,
 * because typos sit closer to the whole word ("equipmnt" is one edit from "equipment", three from
 * its stem "equip").
 */
export function indexTerm(term: string): string[] | null {
  const t = clean(term);
  if (t === null) return null;
  const stem = PorterStemmer.stem(t);
  return stem === t ? [stem] : [stem, t];
}

/** Query-time term processing: like `indexTerm`, plus the article vocabulary's synonym. */
export function queryTerms(term: string): string[] | null {
  const terms = indexTerm(term);
  if (terms === null) return null;
  const synonym = SYNONYMS[term];
  if (synonym !== undefined && synonym !== term) terms.push(PorterStemmer.stem(synonym));
  return terms;
}
