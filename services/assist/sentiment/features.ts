// The words and shapes the learned part of the scorer weighs. One walker serves both training (which
// builds string keys) and scoring (which looks weights up without building strings), so the two
// cannot drift apart.
import { NEGATORS } from './domain-lexicon.js';
import { BREAK, EMOJI, type TokenBuffer } from './tokenize.js';

/** A word as written (lower-cased). */
export const UNIGRAM = 0;
/** A word within three words after "not", "never", "can't"…: "not_working" is its own feature. */
export const NEGATED = 1;
/** Two adjacent words in one clause: "on hold", "no answer", "thanks for". */
export const BIGRAM = 2;
/** A shape of the whole message: a question, "!", capitals, very short. */
export const SHAPE = 3;

export const TABLE_PREFIX = ['u:', 'n:', 'b:', 's:'] as const;

export type FeatureVisitor = (table: number, a: string, b: string) => void;

const NEGATION_SCOPE = 3;

/**
 * The model reads the first 1,000 tokens. Customer messages are far shorter; a longer one is a paste
 * (a log, a forwarded thread) whose opening carries the stance, and the rule pass still reads it all.
 * It keeps a hostile megabyte from costing the learned part more than the rules.
 */
export const MAX_MODEL_TOKENS = 1000;

/** Words that open a question: "how do I…", "can I…", "is there…". */
const QUESTION_OPENERS: ReadonlySet<string> = new Set([
  'how',
  'what',
  "what's",
  'whats',
  'when',
  'where',
  'which',
  'who',
  'can',
  'could',
  'do',
  'does',
  'is',
  'are',
  'will',
  'would',
  'should',
  'may',
  'any',
]);

/** Small numbers ("3 hours", "2nd time") and long ones (order numbers, prices, years) mean different things. */
const SMALL_NUMBER = '0';
const LONG_NUMBER = '000';

function isNumber(word: string): boolean {
  for (let k = 0; k < word.length; k++) {
    const c = word.charCodeAt(k);
    if ((c < 48 || c > 57) && c !== 46) return false;
  }
  return true;
}

/** Calls `visit` once per feature occurrence of the tokenised message. */
export function forEachFeature(buf: TokenBuffer, visit: FeatureVisitor, bigrams: boolean): void {
  let negateLeft = 0;
  let prev = '';
  let words = 0;
  let caps = 0;
  let firstWord = '';
  const n = Math.min(buf.count, MAX_MODEL_TOKENS);
  for (let i = 0; i < n; i++) {
    const kind = buf.kind[i];
    if (kind === BREAK) {
      negateLeft = 0;
      prev = '';
      continue;
    }
    let w = buf.text[i] as string;
    if (kind === EMOJI) {
      visit(UNIGRAM, w, '');
      prev = '';
      continue;
    }
    if (isNumber(w)) w = w.length > 2 ? LONG_NUMBER : SMALL_NUMBER;
    if (words === 0) firstWord = w;
    words++;
    if (buf.caps[i] === 1 && w.length > 2) caps++;
    if (negateLeft > 0) {
      visit(NEGATED, w, '');
      negateLeft--;
    } else visit(UNIGRAM, w, '');
    if (bigrams && prev !== '') visit(BIGRAM, prev, w);
    if (NEGATORS.has(w)) negateLeft = NEGATION_SCOPE;
    prev = w;
  }
  if (buf.questions > 0) visit(SHAPE, 'question', '');
  if (QUESTION_OPENERS.has(firstWord)) visit(SHAPE, 'asks', '');
  if (buf.exclamations > 0) visit(SHAPE, buf.exclamations > 1 ? '!!' : '!', '');
  if (caps > 0) visit(SHAPE, caps > 1 && caps * 2 >= words ? 'shouting' : 'capitals', '');
  if (words === 0) visit(SHAPE, 'no words', '');
  else if (words <= 3) visit(SHAPE, 'short', '');
  else if (words >= 20) visit(SHAPE, 'long', '');
}

/** The string key training uses for one feature: "u:late", "n:working", "b:on hold", "s:question". */
export function featureKey(table: number, a: string, b: string): string {
  return TABLE_PREFIX[table] + (table === BIGRAM ? `${a} ${b}` : a);
}
