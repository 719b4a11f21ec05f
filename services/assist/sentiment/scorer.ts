import type { SentimentLevel } from '../../domain/index.js';
import {
  CONTRAST_WORDS,
  DAMPENER_PHRASE_HEADS,
  DAMPENERS,
  EMOJI_VALUES,
  INTENSIFIERS,
  NEGATORS,
} from './domain-lexicon.js';
import { buildLexicon, type Lexicon, type PhraseNode } from './lexicon.js';
import { levelOf } from './levels.js';
import { BREAK, EMOJI, newTokenBuffer, tokenize, type TokenBuffer } from './tokenize.js';

/** The additions over plain AFINN; each can be switched off to measure it (the eval's ablation). */
export interface SentimentFeatures {
  negation: boolean;
  intensifiers: boolean;
  contrast: boolean;
  /** ALL-CAPS sentiment words and "!!!" / "??". */
  emphasis: boolean;
  emoji: boolean;
  domainLexicon: boolean;
  /** A plain question ("is there an outage?", "can I cancel?") asks rather than complains: damped. */
  questions: boolean;
}

export const ALL_FEATURES: Readonly<SentimentFeatures> = {
  negation: true,
  intensifiers: true,
  contrast: true,
  emphasis: true,
  emoji: true,
  domainLexicon: true,
  questions: true,
};

export interface SentimentResult {
  /** −1 … 1. */
  score: number;
  level: SentimentLevel;
}

// Constants after VADER (Hutto & Gilbert 2014), whose valences are on a scale close to AFINN's.
/** Flipping a positive word: "not good" is clearly negative. */
const NEGATE_POSITIVE = -0.74;
/** Flipping a negative word is weaker: "not bad" is only mildly positive. */
const NEGATE_NEGATIVE = -0.4;
const NEGATION_SCOPE = 4;
const BOOST = 1.3;
const DAMPEN = 0.6;
const BOOST_SCOPE = 2;
const BEFORE_CONTRAST = 0.5;
const AFTER_CONTRAST = 1.5;
const CAPS_INCREMENT = 0.733;
const EXCLAMATION_INCREMENT = 0.292;
const QUESTION_INCREMENT = 0.18;
const QUESTION_DAMPING = 0.5;
/** Normalises the valence sum into −1…1: x / sqrt(x² + α). */
const ALPHA = 15;

/** Longest phrase starting at `i`: returns [value, last index] or undefined. */
function matchPhrase(
  buf: TokenBuffer,
  i: number,
  root: Map<string, PhraseNode>,
): [number, number] | undefined {
  let node = root.get(buf.text[i] as string);
  let best: [number, number] | undefined;
  let j = i;
  while (
    node?.next !== undefined &&
    j + 1 < buf.count &&
    buf.kind[j + 1] !== BREAK &&
    buf.kind[j + 1] !== EMOJI
  ) {
    node = node.next.get(buf.text[j + 1] as string);
    j++;
    if (node?.value !== undefined) best = [node.value, j];
  }
  return best;
}

function scoreTokens(buf: TokenBuffer, lexicon: Lexicon, f: SentimentFeatures): number {
  let before = 0;
  let current = 0;
  let contrasted = false;
  let negateLeft = 0;
  let negatorCaps = false;
  let boost = 1;
  let boostLeft = 0;
  const n = buf.count;
  for (let i = 0; i < n; i++) {
    const kind = buf.kind[i];
    const word = buf.text[i] as string;
    if (kind === BREAK) {
      negateLeft = 0;
      boostLeft = 0;
      continue;
    }
    if (kind === EMOJI) {
      if (f.emoji) current += EMOJI_VALUES[word] ?? 0;
      continue;
    }
    let caps = buf.caps[i] === 1;
    let value: number | undefined;
    const phrase = matchPhrase(buf, i, lexicon.phrases);
    if (phrase !== undefined && phrase[0] === 0 && f.intensifiers && DAMPENER_PHRASE_HEADS.has(word)) {
      // AFINN lists "kind of" with valence 0; in "kind of slow" it softens what follows.
      i = phrase[1];
      boost = DAMPEN;
      boostLeft = BOOST_SCOPE;
      continue;
    } else if (phrase !== undefined) {
      value = phrase[0];
      i = phrase[1];
    } else if (f.contrast && CONTRAST_WORDS.has(word)) {
      before += current;
      current = 0;
      contrasted = true;
      negateLeft = 0;
      boostLeft = 0;
      continue;
    } else if (f.negation && NEGATORS.has(word)) {
      negateLeft = NEGATION_SCOPE;
      negatorCaps = caps;
      continue;
    } else if (f.intensifiers && INTENSIFIERS.has(word)) {
      boost = boostLeft > 0 ? boost * BOOST : BOOST;
      boostLeft = BOOST_SCOPE;
      continue;
    } else if (f.intensifiers && DAMPENERS.has(word)) {
      boost = DAMPEN;
      boostLeft = BOOST_SCOPE;
      continue;
    } else {
      value = lexicon.valueOf(word);
    }
    if (negateLeft > 0) {
      caps ||= negatorCaps; // "NOT happy" shouts the negation
      const negated = phrase === undefined ? lexicon.negatedValueOf(word) : undefined;
      if (negated !== undefined) value = negated;
      else if (value !== undefined) value *= value > 0 ? NEGATE_POSITIVE : NEGATE_NEGATIVE;
    }
    if (value === undefined || value === 0) {
      negateLeft--;
      boostLeft--;
      continue;
    }
    // Negation reaches the first sentiment word only: in "not happy with the slow service" "slow" stays negative.
    negateLeft = 0;
    if (boostLeft > 0) value *= boost;
    boostLeft = 0;
    if (f.emphasis && caps) value += value > 0 ? CAPS_INCREMENT : -CAPS_INCREMENT;
    current += value;
  }
  let sum = contrasted ? before * BEFORE_CONTRAST + current * AFTER_CONTRAST : current;
  if (f.questions && buf.questions === 1 && buf.exclamations === 0) sum *= QUESTION_DAMPING;
  if (f.emphasis && sum !== 0) {
    const sign = sum > 0 ? 1 : -1;
    sum += sign * Math.min(buf.exclamations, 4) * EXCLAMATION_INCREMENT;
    if (buf.questions > 1) sum += sign * Math.min(buf.questions, 3) * QUESTION_INCREMENT;
  }
  return sum;
}

export type SentimentScorer = (text: string) => SentimentResult;

/**
 * A scorer with its own lexicon and token buffer. Building one takes a few milliseconds; scoring a
 * message then allocates only its word strings.
 */
export function createSentimentScorer(features: Partial<SentimentFeatures> = {}): SentimentScorer {
  const f: SentimentFeatures = { ...ALL_FEATURES, ...features };
  const lexicon = buildLexicon({ domain: f.domainLexicon });
  const buf = newTokenBuffer();
  return (text) => {
    tokenize(text, buf);
    const sum = scoreTokens(buf, lexicon, f);
    const score = sum === 0 ? 0 : sum / Math.sqrt(sum * sum + ALPHA);
    return { score, level: levelOf(score) };
  };
}

let shared: SentimentScorer | undefined;

/** The product's scorer (all features): live messages, the CLI and the eval all use this one. */
export function scoreSentiment(text: string): SentimentResult {
  shared ??= createSentimentScorer();
  return shared(text);
}
