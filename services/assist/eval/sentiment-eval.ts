import { threeWay } from '../sentiment/levels.js';
import { ALL_FEATURES, createSentimentScorer, type SentimentFeatures } from '../sentiment/scorer.js';
import { createAfinnBaseline } from './baseline-afinn.js';
import type { IntensityPair, SentimentExample } from './load.js';
import { classificationReport } from './metrics.js';

export interface SentimentEvalRow {
  name: string;
  /** Share of intensity pairs ordered right (|stronger| > |weaker|); the three-way labels cannot show intensity. */
  intensity?: number;
  tuning: { accuracy: number; macroF1: number };
  heldOut: { accuracy: number; macroF1: number };
}

type Labeller = (text: string) => string;
type Scorer = (text: string) => number;

function ordered(score: Scorer, pairs: readonly IntensityPair[]): number {
  let right = 0;
  for (const p of pairs) if (Math.abs(score(p.stronger)) > Math.abs(score(p.weaker))) right++;
  return pairs.length ? right / pairs.length : 0;
}

function measure(label: Labeller, rows: readonly SentimentExample[]): { accuracy: number; macroF1: number } {
  const r = classificationReport(
    rows.map((x) => x.label),
    rows.map((x) => label(x.text)),
  );
  return { accuracy: r.accuracy, macroF1: r.macroF1 };
}

const FEATURE_NAMES: Record<keyof SentimentFeatures, string> = {
  negation: 'negation',
  intensifiers: 'intensifiers/dampeners',
  contrast: 'contrast ("but")',
  emphasis: 'ALL CAPS and "!!!"',
  emoji: 'emoji',
  domainLexicon: 'customer-service lexicon',
  questions: 'question damping',
};

const NONE: SentimentFeatures = Object.fromEntries(
  Object.keys(ALL_FEATURES).map((k) => [k, false]),
) as unknown as SentimentFeatures;

/** Plain AFINN, the full scorer, each addition alone on top of the lexicon, and the full scorer without each. */
export function evaluateSentiment(
  tuning: readonly SentimentExample[],
  heldOut: readonly SentimentExample[],
  pairs: readonly IntensityPair[] = [],
): SentimentEvalRow[] {
  const row = (name: string, label: Labeller, score: Scorer): SentimentEvalRow => ({
    name,
    intensity: ordered(score, pairs),
    tuning: measure(label, tuning),
    heldOut: measure(label, heldOut),
  });
  const variant = (name: string, f: Partial<SentimentFeatures>): SentimentEvalRow => {
    const s = createSentimentScorer(f);
    return row(
      name,
      (t) => threeWay(s(t).level),
      (t) => s(t).score,
    );
  };
  const afinn = createAfinnBaseline();
  const rows = [
    row('natural AFINN (baseline)', afinn.label, afinn.score),
    variant('lexicon only (all additions off)', NONE),
  ];
  const features = Object.keys(ALL_FEATURES) as Array<keyof SentimentFeatures>;
  for (const f of features) rows.push(variant(`lexicon + ${FEATURE_NAMES[f]}`, { ...NONE, [f]: true }));
  rows.push(variant('full scorer', ALL_FEATURES));
  for (const f of features) rows.push(variant(`full − ${FEATURE_NAMES[f]}`, { [f]: false }));
  return rows;
}
