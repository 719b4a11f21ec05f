import type { SentimentLevel } from '../../domain/index.js';
import { BIGRAM, forEachFeature, NEGATED, SHAPE } from './features.js';
import { buildLexicon } from './lexicon.js';
import { levelOf } from './levels.js';
import {
  loadModel,
  scoreFromProbabilities,
  softmaxInPlace,
  squash,
  type LearnedModel,
  type SentimentModelJson,
} from './model.js';
import committedModel from './model.json' with { type: 'json' };
import { newRuleTally, tallyRules, type RuleCue, type RuleFeatures } from './rules.js';
import { BREAK, newTokenBuffer, tokenize, type TokenBuffer } from './tokenize.js';

/** Every part of the scorer; each can be switched off to measure it (the eval's ablation). */
export interface SentimentFeatures extends RuleFeatures {
  /**
   * The model trained on the development corpus (words, negated words, word pairs, message shape,
   * and the rule totals). Off, the score is the rule pass alone.
   */
  learned: boolean;
}

export const ALL_FEATURES: Readonly<SentimentFeatures> = {
  negation: true,
  intensifiers: true,
  contrast: true,
  emphasis: true,
  emoji: true,
  domainLexicon: true,
  questions: true,
  vaderLexicon: true,
  learned: true,
};

export interface SentimentResult {
  /** −1 … 1. */
  score: number;
  level: SentimentLevel;
}

/** One reason a message scored as it did. */
export interface SentimentCue {
  /** The word, phrase, emoji, "not …" or message shape ("question", "!!", "short"). */
  cue: string;
  /**
   * How far it moved the message: below 0 towards negative, above 0 towards positive. With the
   * learned model, in log-odds of positive over negative; rules alone, in AFINN valence units.
   */
  effect: number;
  /** What changed the word's dictionary value: "negated", "intensified", "softened", "capitals", "emphasis". */
  rule?: string;
}

export interface SentimentExplanation extends SentimentResult {
  /** Strongest first; cues that moved the message by less than 0.05 are left out. */
  cues: SentimentCue[];
  /** The learned model's class probabilities; absent when scoring by rules alone. */
  probabilities?: { negative: number; neutral: number; positive: number };
}

export type SentimentScorer = ((text: string) => SentimentResult) & {
  explain(text: string): SentimentExplanation;
};

/** Normalises the rule-only valence sum into −1…1: x / sqrt(x² + α). */
const ALPHA = 15;
const MAX_CUES = 8;
const MIN_EFFECT = 0.05;

const SHAPE_NAMES: Record<string, string> = {
  question: 'question mark',
  asks: 'opens with a question word',
  '!': 'exclamation mark',
  '!!': 'several exclamation marks',
  capitals: 'capitals',
  shouting: 'mostly capitals',
  'no words': 'no words (emoji or symbols only)',
  short: 'very short message',
  long: 'long message',
};

function cueName(table: number, a: string, b: string): string {
  if (table === NEGATED) return `not … ${a}`;
  if (table === BIGRAM) return `${a} ${b}`;
  if (table === SHAPE) return SHAPE_NAMES[a] ?? a;
  return a;
}

/**
 * A scorer with its own lexicon, model and token buffer. Building one takes a few milliseconds;
 * scoring a message then allocates only its word strings. `model` defaults to the committed
 * model.json (the eval passes models it trains for its ablation).
 */
export function createSentimentScorer(
  features: Partial<SentimentFeatures> = {},
  model: SentimentModelJson = committedModel as SentimentModelJson,
): SentimentScorer {
  const f: SentimentFeatures = { ...ALL_FEATURES, ...features };
  const lexicon = buildLexicon({ domain: f.domainLexicon, vader: f.vaderLexicon });
  const learned: LearnedModel | undefined = f.learned ? loadModel(model) : undefined;
  const buf = newTokenBuffer();
  const tally = newRuleTally();
  const logits = new Float64Array(3);
  // How far the words themselves pushed between negative and positive (logit units).
  let wordEvidence = 0;
  let tracing: Map<string, SentimentCue> | undefined;

  const visit = (table: number, a: string, b: string): void => {
    const tables = (learned as LearnedModel).tables;
    const w = table === BIGRAM ? tables[BIGRAM].get(a)?.get(b) : tables[table as 0 | 1 | 3].get(a);
    if (w === undefined) return;
    logits[0] = (logits[0] as number) + (w[0] as number);
    logits[1] = (logits[1] as number) + (w[1] as number);
    logits[2] = (logits[2] as number) + (w[2] as number);
    if (table !== SHAPE) wordEvidence += Math.abs((w[2] as number) - (w[0] as number));
    if (tracing !== undefined) addCue(tracing, cueName(table, a, b), (w[2] as number) - (w[0] as number));
  };

  const run = (text: string, trace?: RuleCue[]): SentimentResult => {
    tokenize(text, buf);
    // Nothing left to read once @mentions, links and punctuation are gone: no evidence either way.
    if (!hasContent(buf)) {
      logits.fill(0);
      logits[1] = 1;
      return { score: 0, level: 'neutral' };
    }
    tallyRules(buf, lexicon, f, tally, trace);
    const sum = tally.sum;
    const ruleScore = sum === 0 ? 0 : sum / Math.sqrt(sum * sum + ALPHA);
    if (learned === undefined) return { score: ruleScore, level: levelOf(ruleScore) };
    const p = squash(tally.positive);
    const q = squash(tally.negative);
    for (let c = 0; c < 3; c++) {
      logits[c] =
        (learned.bias[c] as number) +
        (learned.rulePositive[c] as number) * p +
        (learned.ruleNegative[c] as number) * q;
    }
    wordEvidence = 0;
    if (learned.config.words) forEachFeature(buf, visit, learned.config.bigrams);
    softmaxInPlace(logits);
    // A greeting or a one-word menu answer ("hi", "Billing") carries no sentiment: without rule cues
    // and with words the model barely knows, the class prior alone would decide, and it leans
    // negative because complaints dominate the training data. No evidence reads as neutral.
    if (tally.positive === 0 && tally.negative === 0 && wordEvidence < MIN_WORD_EVIDENCE) {
      return { score: 0, level: 'neutral' };
    }
    const score = scoreFromProbabilities(
      logits[0] as number,
      logits[1] as number,
      logits[2] as number,
      ruleScore,
    );
    return { score, level: levelOf(score) };
  };

  const scorer = ((text: string) => run(text)) as SentimentScorer;
  scorer.explain = (text) => {
    const ruleCues: RuleCue[] = [];
    const cues = new Map<string, SentimentCue>();
    tracing = cues;
    let result: SentimentResult;
    try {
      result = run(text, ruleCues);
    } finally {
      tracing = undefined;
    }
    if (learned === undefined) {
      for (const c of ruleCues) addCue(cues, c.cue, c.value, c.rule);
    } else {
      // The rule totals enter the model as two inputs; each cue gets its share of its side's effect.
      const posEffect =
        ((learned.rulePositive[2] as number) - (learned.rulePositive[0] as number)) * squash(tally.positive);
      const negEffect =
        ((learned.ruleNegative[2] as number) - (learned.ruleNegative[0] as number)) * squash(tally.negative);
      for (const c of ruleCues) {
        const share =
          c.value > 0 ? (c.value / tally.positive) * posEffect : (-c.value / tally.negative) * negEffect;
        addCue(cues, c.cue, share, c.rule);
      }
    }
    const ranked = [...cues.values()]
      .filter((c) => Math.abs(c.effect) >= MIN_EFFECT)
      .sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect))
      .slice(0, MAX_CUES)
      .map((c) => ({ ...c, effect: Math.round(c.effect * 100) / 100 }));
    const explanation: SentimentExplanation = { ...result, cues: ranked };
    if (learned !== undefined) {
      explanation.probabilities = {
        negative: logits[0] as number,
        neutral: logits[1] as number,
        positive: logits[2] as number,
      };
    }
    return explanation;
  };
  return scorer;
}

/** Below this much word evidence (and with no rule cue) a message is neutral. */
const MIN_WORD_EVIDENCE = 0.5;

function hasContent(buf: TokenBuffer): boolean {
  for (let i = 0; i < buf.count; i++) if (buf.kind[i] !== BREAK) return true;
  return false;
}

function addCue(cues: Map<string, SentimentCue>, cue: string, effect: number, rule?: string): void {
  if (!Number.isFinite(effect) || effect === 0) return;
  const seen = cues.get(cue);
  if (seen === undefined) cues.set(cue, rule === undefined ? { cue, effect } : { cue, effect, rule });
  else {
    seen.effect += effect;
    if (rule !== undefined) seen.rule ??= rule;
  }
}

let shared: SentimentScorer | undefined;

/** The product's scorer (all features): live messages, the CLI and the eval all use this one. */
export function scoreSentiment(text: string): SentimentResult {
  shared ??= createSentimentScorer();
  return shared(text);
}

/** The product's score of `text` with the cues that moved it, for the agent's "why this reading". */
export function explainSentiment(text: string): SentimentExplanation {
  shared ??= createSentimentScorer();
  return shared.explain(text);
}
