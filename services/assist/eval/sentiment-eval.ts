import { threeWay } from '../sentiment/levels.js';
import { DEFAULT_MODEL_CONFIG, trainModel, type ModelConfig } from '../sentiment/model.js';
import { ALL_FEATURES, createSentimentScorer, type SentimentFeatures } from '../sentiment/scorer.js';
import { createAfinnBaseline } from './baseline-afinn.js';
import { createVaderBaseline } from './baseline-vader.js';
import type { IntensityPair, SentimentExample } from './load.js';
import { classificationReport } from './metrics.js';
import { trainingSet } from './sentiment-data.js';

export interface SplitFigures {
  accuracy: number;
  macroF1: number;
}

export interface SentimentEvalRow {
  name: string;
  /** One entry per held-out split, in the order given. */
  splits: SplitFigures[];
  /** Share of intensity pairs ordered right (|stronger| > |weaker|); the three-way labels cannot show intensity. */
  intensity: number;
}

export interface SentimentEval {
  baselines: SentimentEvalRow[];
  /** The product's scorer: committed model.json and every rule. */
  product: SentimentEvalRow;
  /** The learned model retrained without one of its parts. */
  learnedAblation: SentimentEvalRow[];
  /** The rule pass alone, then without each rule. */
  ruleAblation: SentimentEvalRow[];
}

type Labeller = (text: string) => string;
type Scorer = (text: string) => number;

function ordered(score: Scorer, pairs: readonly IntensityPair[]): number {
  let right = 0;
  for (const p of pairs) if (Math.abs(score(p.stronger)) > Math.abs(score(p.weaker))) right++;
  return pairs.length ? right / pairs.length : 0;
}

function measure(label: Labeller, rows: readonly SentimentExample[]): SplitFigures {
  const r = classificationReport(
    rows.map((x) => x.label),
    rows.map((x) => label(x.text)),
  );
  return { accuracy: r.accuracy, macroF1: r.macroF1 };
}

const RULE_NAMES: Record<Exclude<keyof SentimentFeatures, 'learned'>, string> = {
  negation: 'negation',
  intensifiers: 'intensifiers/dampeners',
  contrast: 'contrast ("but")',
  emphasis: 'ALL CAPS and "!!!"',
  emoji: 'emoji and emoticons',
  domainLexicon: 'customer-service lexicon',
  questions: 'question damping',
  vaderLexicon: "VADER's slang and inflections",
};

const LEARNED_PARTS: [string, Partial<ModelConfig>, number | undefined][] = [
  ['full − word features (rule totals only, calibrated)', { words: false }, undefined],
  ['full − rule totals (words only)', { ruleInputs: false }, undefined],
  ['full − word pairs', { bigrams: false }, undefined],
  ['full − review sentences in training', {}, 0],
];

/**
 * Baselines (natural's AFINN, VADER), the product scorer, the learned model retrained without each of
 * its parts, and the rule pass alone and without each rule — all on the same held-out splits.
 */
export function evaluateSentiment(
  heldOut: readonly (readonly SentimentExample[])[],
  pairs: readonly IntensityPair[] = [],
): SentimentEval {
  const row = (name: string, label: Labeller, score: Scorer): SentimentEvalRow => ({
    name,
    splits: heldOut.map((rows) => measure(label, rows)),
    intensity: ordered(score, pairs),
  });
  const scorerRow = (name: string, s: ReturnType<typeof createSentimentScorer>): SentimentEvalRow =>
    row(
      name,
      (t) => threeWay(s(t).level),
      (t) => s(t).score,
    );
  const afinn = createAfinnBaseline();
  const vader = createVaderBaseline();
  const baselines = [
    row('natural AFINN (baseline)', afinn.label, afinn.score),
    row('VADER, vader-sentiment (baseline)', vader.label, vader.score),
  ];
  const product = scorerRow('full scorer (rules + learned model)', createSentimentScorer());
  const learnedAblation = LEARNED_PARTS.map(([name, config, reviewWeight]) => {
    const model = trainModel(trainingSet(reviewWeight), ALL_FEATURES, { ...DEFAULT_MODEL_CONFIG, ...config });
    return scorerRow(name, createSentimentScorer({}, model));
  });
  const ruleAblation = [
    scorerRow('rules alone (no learned model)', createSentimentScorer({ learned: false })),
  ];
  for (const f of Object.keys(RULE_NAMES) as (keyof typeof RULE_NAMES)[]) {
    ruleAblation.push(
      scorerRow(`rules alone − ${RULE_NAMES[f]}`, createSentimentScorer({ learned: false, [f]: false })),
    );
  }
  return { baselines, product, learnedAblation, ruleAblation };
}

export { ALL_FEATURES };
