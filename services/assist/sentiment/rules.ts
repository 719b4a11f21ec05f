// The lexicon-and-rules pass: AFINN (and VADER's slang) valences moved by negation, intensifiers,
// "but", capitals, "!!!", emoji and question damping. On its own it is the explainable baseline; the
// learned model takes its positive and negative totals as two of its inputs.
import {
  CONTRAST_WORDS,
  DAMPENER_PHRASE_HEADS,
  DAMPENERS,
  EMOJI_VALUES,
  INTENSIFIERS,
  NEGATORS,
} from './domain-lexicon.js';
import type { Lexicon, PhraseNode } from './lexicon.js';
import { BREAK, EMOJI, type TokenBuffer } from './tokenize.js';

/** The rule additions over plain AFINN; each can be switched off to measure it (the eval's ablation). */
export interface RuleFeatures {
  negation: boolean;
  intensifiers: boolean;
  contrast: boolean;
  /** ALL-CAPS sentiment words and "!!!" / "??". */
  emphasis: boolean;
  emoji: boolean;
  domainLexicon: boolean;
  /** A plain question ("is there an outage?", "can I cancel?") asks rather than complains: damped. */
  questions: boolean;
  /** VADER's words that AFINN lacks: slang ("smh", "meh", "lol") and inflections ("delayed"). */
  vaderLexicon: boolean;
}

/** One word, phrase or emoji that moved the rule score, and by how much (AFINN units). */
export interface RuleCue {
  cue: string;
  value: number;
  /** What changed its dictionary value: "negated", "intensified", "softened", "capitals". */
  rule?: string;
}

/** Reused between calls: the scorer allocates nothing per message for it. */
export interface RuleTally {
  /** Signed sum after contrast, question damping and "!!!". */
  sum: number;
  /** Sum of the positive contributions, and of the negative ones (as a positive number). */
  positive: number;
  negative: number;
}

export function newRuleTally(): RuleTally {
  return { sum: 0, positive: 0, negative: 0 };
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

function words(buf: TokenBuffer, from: number, to: number): string {
  let s = buf.text[from] as string;
  for (let k = from + 1; k <= to; k++) s += ` ${buf.text[k] as string}`;
  return s;
}

/**
 * Fills `out` from the tokens. With `trace`, also lists each cue and its final contribution (after
 * "but" and question damping), so an agent can see why a message scored as it did.
 */
export function tallyRules(
  buf: TokenBuffer,
  lexicon: Lexicon,
  f: RuleFeatures,
  out: RuleTally,
  trace?: RuleCue[],
): RuleTally {
  let beforeSum = 0;
  let currentSum = 0;
  let beforePos = 0;
  let beforeNeg = 0;
  let pos = 0;
  let neg = 0;
  let contrasted = false;
  let contrastAt = 0;
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
      const v = f.emoji ? (EMOJI_VALUES[word] ?? 0) : 0;
      if (v !== 0) {
        currentSum += v;
        if (v > 0) pos += v;
        else neg -= v;
        trace?.push({ cue: word, value: v });
      }
      continue;
    }
    let caps = buf.caps[i] === 1;
    let value: number | undefined;
    const start = i;
    let rule: string | undefined;
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
      beforeSum += currentSum;
      beforePos += pos;
      beforeNeg += neg;
      currentSum = 0;
      pos = 0;
      neg = 0;
      contrasted = true;
      contrastAt = trace?.length ?? 0;
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
      if (value !== undefined && value !== 0) rule = 'negated';
    }
    if (value === undefined || value === 0) {
      negateLeft--;
      boostLeft--;
      continue;
    }
    // Negation reaches the first sentiment word only: in "not happy with the slow service" "slow" stays negative.
    negateLeft = 0;
    if (boostLeft > 0) {
      value *= boost;
      rule ??= boost > 1 ? 'intensified' : 'softened';
    }
    boostLeft = 0;
    if (f.emphasis && caps) {
      value += value > 0 ? CAPS_INCREMENT : -CAPS_INCREMENT;
      rule ??= 'capitals';
    }
    currentSum += value;
    if (value > 0) pos += value;
    else neg -= value;
    if (trace !== undefined) {
      const cue = phrase === undefined ? word : words(buf, start, i);
      trace.push(rule === undefined ? { cue, value } : { cue, value, rule });
    }
  }
  let sum = currentSum;
  let scale = 1;
  if (contrasted) {
    sum = beforeSum * BEFORE_CONTRAST + currentSum * AFTER_CONTRAST;
    pos = beforePos * BEFORE_CONTRAST + pos * AFTER_CONTRAST;
    neg = beforeNeg * BEFORE_CONTRAST + neg * AFTER_CONTRAST;
  }
  if (f.questions && buf.questions === 1 && buf.exclamations === 0) scale = QUESTION_DAMPING;
  sum *= scale;
  pos *= scale;
  neg *= scale;
  if (trace !== undefined) {
    for (let k = 0; k < trace.length; k++) {
      const c = trace[k] as RuleCue;
      c.value *= scale * (contrasted ? (k < contrastAt ? BEFORE_CONTRAST : AFTER_CONTRAST) : 1);
    }
  }
  if (f.emphasis && sum !== 0) {
    const sign = sum > 0 ? 1 : -1;
    let extra = Math.min(buf.exclamations, 4) * EXCLAMATION_INCREMENT;
    if (buf.questions > 1) extra += Math.min(buf.questions, 3) * QUESTION_INCREMENT;
    if (extra > 0) {
      sum += sign * extra;
      if (sign > 0) pos += extra;
      else neg += extra;
      trace?.push({ cue: buf.questions > 1 ? '?? / !!!' : '!', value: sign * extra, rule: 'emphasis' });
    }
  }
  out.sum = sum;
  out.positive = pos;
  out.negative = neg;
  return out;
}
