import { threeWay } from '../sentiment/levels.js';
import { ALL_FEATURES, createSentimentScorer, type SentimentFeatures } from '../sentiment/scorer.js';
import { createAfinnBaseline } from './baseline-afinn.js';
import type { SentimentExample } from './load.js';
import { classificationReport } from './metrics.js';

export interface SentimentEvalRow {
  name: string;
  tuning: { accuracy: number; macroF1: number };
  heldOut: { accuracy: number; macroF1: number };
}

type Labeller = (text: string) => string;

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
): SentimentEvalRow[] {
  const row = (name: string, label: Labeller): SentimentEvalRow => ({
    name,
    tuning: measure(label, tuning),
    heldOut: measure(label, heldOut),
  });
  const scorer = (f: Partial<SentimentFeatures>): Labeller => {
    const s = createSentimentScorer(f);
    return (t) => threeWay(s(t).level);
  };
  const rows = [
    row('natural AFINN (baseline)', createAfinnBaseline().label),
    row('lexicon only (all additions off)', scorer(NONE)),
  ];
  const features = Object.keys(ALL_FEATURES) as Array<keyof SentimentFeatures>;
  for (const f of features) rows.push(row(`lexicon + ${FEATURE_NAMES[f]}`, scorer({ ...NONE, [f]: true })));
  rows.push(row('full scorer', scorer(ALL_FEATURES)));
  for (const f of features) rows.push(row(`full − ${FEATURE_NAMES[f]}`, scorer({ [f]: false })));
  return rows;
}
