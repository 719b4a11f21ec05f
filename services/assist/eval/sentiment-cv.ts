// Five-fold cross-validation on the tuning data only: how the model's settings were chosen without
// touching a held-out split. `npx tsx services/assist/eval/sentiment-cv.ts` (slow: trains 5 × configs).
import { threeWay } from '../sentiment/levels.js';
import { DEFAULT_MODEL_CONFIG, trainModel, type LabelledText, type ModelConfig } from '../sentiment/model.js';
import { ALL_FEATURES, createSentimentScorer, type SentimentFeatures } from '../sentiment/scorer.js';
import { classificationReport } from './metrics.js';
import { tuningSplits } from './sentiment-data.js';

const FOLDS = 5;

export function crossValidate(
  config: ModelConfig,
  reviewWeight: number,
  features: SentimentFeatures = ALL_FEATURES,
): { social: number; chat: number } {
  const { social, chat, reviews } = tuningSplits();
  const gold: Record<'social' | 'chat', string[]> = { social: [], chat: [] };
  const predicted: Record<'social' | 'chat', string[]> = { social: [], chat: [] };
  for (let k = 0; k < FOLDS; k++) {
    const train: LabelledText[] = [
      ...social.filter((_, i) => i % FOLDS !== k),
      ...chat.filter((_, i) => i % FOLDS !== k),
      ...reviews.map((r) => ({ ...r, weight: reviewWeight })),
    ];
    const scorer = createSentimentScorer(features, trainModel(train, features, config));
    for (const [name, rows] of [
      ['social', social],
      ['chat', chat],
    ] as const) {
      rows.forEach((r, i) => {
        if (i % FOLDS !== k) return;
        gold[name].push(r.label);
        predicted[name].push(threeWay(scorer(r.text).level));
      });
    }
  }
  return {
    social: classificationReport(gold.social, predicted.social).macroF1,
    chat: classificationReport(gold.chat, predicted.chat).macroF1,
  };
}

if (process.argv[1]?.endsWith('sentiment-cv.ts')) {
  const grid: [string, Partial<ModelConfig>, number][] = [
    ['reviews 0.3 min 2', {}, 0.3],
    ['reviews 0.1 min 2', {}, 0.1],
    ['reviews 0.1 min 3', { minCount: 3 }, 0.1],
    ['reviews 0.3 min 3', { minCount: 3 }, 0.3],
    ['reviews 0.3 min 3 no pairs', { minCount: 3, bigrams: false }, 0.3],
    ['reviews 0.3 min 3 l2 3e-3', { minCount: 3, l2: 3e-3 }, 0.3],
    ['reviews 0.3 min 3 l2 3e-4', { minCount: 3, l2: 3e-4 }, 0.3],
  ];
  const only = process.argv[2];
  for (const [name, c, rw] of grid) {
    if (only !== undefined && !name.startsWith(only)) continue;
    const r = crossValidate({ ...DEFAULT_MODEL_CONFIG, ...c }, rw);
    console.log(`${name.padEnd(16)} social ${r.social.toFixed(3)}  chat ${r.chat.toFixed(3)}`);
  }
}
