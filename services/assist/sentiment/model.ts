// The learned part of the scorer: a softmax (negative / neutral / positive) over the message's words,
// negated words, word pairs and shape, plus the rule pass's positive and negative totals. It is
// trained from the committed tuning data (`npm run train:sentiment` writes model.json) and read
// once at start; nothing is fetched or trained at run time.
import { BIGRAM, featureKey, forEachFeature, NEGATED, SHAPE, TABLE_PREFIX, UNIGRAM } from './features.js';
import { buildLexicon } from './lexicon.js';
import { softmaxInPlace, trainSoftmax, type TrainingRow } from './logistic.js';
import { newRuleTally, tallyRules, type RuleFeatures } from './rules.js';
import { newTokenBuffer, tokenize } from './tokenize.js';

export const CLASSES = ['negative', 'neutral', 'positive'] as const;
export type SentimentClass = (typeof CLASSES)[number];

export interface ModelConfig {
  /** Word features (unigrams, negated words, shapes); off leaves only the rule totals. */
  words: boolean;
  bigrams: boolean;
  /** The rule pass's totals as inputs; off leaves only the words. */
  ruleInputs: boolean;
  /** A word (or pair) must occur in at least this many training messages to get a weight. */
  minCount: number;
  l2: number;
  iterations: number;
  learningRate: number;
}

export const DEFAULT_MODEL_CONFIG: Readonly<ModelConfig> = {
  words: true,
  bigrams: true,
  ruleInputs: true,
  minCount: 3,
  l2: 1e-3,
  iterations: 300,
  learningRate: 0.05,
};

export interface LabelledText {
  text: string;
  label: SentimentClass;
  /** Weight in the loss (default 1): the binary review sentences count less than the three-way messages. */
  weight?: number;
}

/** What model.json holds: every weight is [negative, neutral, positive], centred on their mean. */
export interface SentimentModelJson {
  config: ModelConfig;
  bias: number[];
  /** Weights of the rule pass's positive and negative totals (squashed to 0…1 by x / (x + 4)). */
  rulePositive: number[];
  ruleNegative: number[];
  /** "u:late", "n:working" (negated), "b:on hold", "s:question" → weights. */
  weights: Record<string, number[]>;
}

export interface LearnedModel {
  config: ModelConfig;
  bias: Float64Array;
  rulePositive: Float64Array;
  ruleNegative: Float64Array;
  tables: [
    Map<string, Float64Array>,
    Map<string, Float64Array>,
    Map<string, Map<string, Float64Array>>,
    Map<string, Float64Array>,
  ];
}

/** The score below which a message reads neutral (levels.ts's neutral band). */
const NEUTRAL_BAND = 0.2;

/** How much the model's own confidence adds to a polar message's strength. */
const MODEL_SHARE = 0.2;

/**
 * A −1…1 score whose side agrees with the most probable class (cross-validation on the tuning data
 * preferred that to thresholding P(positive) − P(negative)): neutral when the neutral class is at
 * least as likely as either side (|score| < 0.2). A polar message's strength comes mostly from the
 * rule score `rules` (strong words, capitals, "!!!" — what the agent can see), combined with the
 * model's lead over the runner-up: a calm "my internet is down" reads slightly negative, "THIS IS
 * UNACCEPTABLE!!!" very negative.
 */
export function scoreFromProbabilities(
  negative: number,
  neutral: number,
  positive: number,
  rules: number,
): number {
  const top = Math.max(negative, positive);
  if (neutral >= top) {
    return neutral === 0 ? 0 : ((positive - negative) / neutral) * (NEUTRAL_BAND - 0.001);
  }
  const side = positive > negative ? 1 : -1;
  const lead = top - Math.max(neutral, Math.min(negative, positive));
  const agreeing = Math.max(0, side * rules);
  const s = Math.max(NEUTRAL_BAND, 1 - (1 - agreeing) * (1 - MODEL_SHARE * lead));
  return side * s;
}

/** Rule totals grow without bound; the model sees them squashed so one long rant cannot dominate. */
export function squash(x: number): number {
  return x / (x + 4);
}

export function loadModel(json: SentimentModelJson): LearnedModel {
  const uni = new Map<string, Float64Array>();
  const neg = new Map<string, Float64Array>();
  const bi = new Map<string, Map<string, Float64Array>>();
  const shape = new Map<string, Float64Array>();
  for (const [key, w] of Object.entries(json.weights)) {
    const v = Float64Array.from(w);
    const prefix = key.slice(0, 2);
    const rest = key.slice(2);
    if (prefix === TABLE_PREFIX[UNIGRAM]) uni.set(rest, v);
    else if (prefix === TABLE_PREFIX[NEGATED]) neg.set(rest, v);
    else if (prefix === TABLE_PREFIX[SHAPE]) shape.set(rest, v);
    else if (prefix === TABLE_PREFIX[BIGRAM]) {
      const space = rest.indexOf(' ');
      const a = rest.slice(0, space);
      let inner = bi.get(a);
      if (inner === undefined) bi.set(a, (inner = new Map()));
      inner.set(rest.slice(space + 1), v);
    }
  }
  return {
    config: json.config,
    bias: Float64Array.from(json.bias),
    rulePositive: Float64Array.from(json.rulePositive),
    ruleNegative: Float64Array.from(json.ruleNegative),
    tables: [uni, neg, bi, shape],
  };
}

/** Three decimals; `|| 0` turns -0 into 0, as JSON would. */
const round = (x: number): number => Math.round(x * 1000) / 1000 || 0;

function centred(w: Float64Array, at: number): number[] {
  const a = w[at] as number;
  const b = w[at + 1] as number;
  const c = w[at + 2] as number;
  const mean = (a + b + c) / 3;
  return [round(a - mean), round(b - mean), round(c - mean)];
}

/** Trains the model on labelled texts; deterministic, so the same data gives the same weights. */
export function trainModel(
  examples: readonly LabelledText[],
  rules: RuleFeatures,
  config: ModelConfig = DEFAULT_MODEL_CONFIG,
): SentimentModelJson {
  const lexicon = buildLexicon({ domain: rules.domainLexicon, vader: rules.vaderLexicon });
  const buf = newTokenBuffer();
  const tally = newRuleTally();
  const docs: { keys: Map<string, number>; pos: number; neg: number; y: number; w: number }[] = [];
  const df = new Map<string, number>();
  for (const e of examples) {
    tokenize(e.text, buf);
    const keys = new Map<string, number>();
    if (config.words) {
      forEachFeature(
        buf,
        (t, a, b) => {
          const k = featureKey(t, a, b);
          keys.set(k, (keys.get(k) ?? 0) + 1);
        },
        config.bigrams,
      );
    }
    for (const k of keys.keys()) df.set(k, (df.get(k) ?? 0) + 1);
    tallyRules(buf, lexicon, rules, tally);
    docs.push({
      keys,
      pos: squash(tally.positive),
      neg: squash(tally.negative),
      y: CLASSES.indexOf(e.label),
      w: e.weight ?? 1,
    });
  }
  const vocabulary = [...df].filter(([, n]) => n >= config.minCount).map(([k]) => k);
  vocabulary.sort();
  const index = new Map(vocabulary.map((k, i) => [k, i]));
  const posAt = vocabulary.length;
  const negAt = posAt + 1;
  const rows: TrainingRow[] = docs.map((d) => {
    const idx: number[] = [];
    const val: number[] = [];
    for (const [k, count] of d.keys) {
      const i = index.get(k);
      if (i === undefined) continue;
      idx.push(i);
      val.push(count);
    }
    if (config.ruleInputs) {
      idx.push(posAt, negAt);
      val.push(d.pos, d.neg);
    }
    return { idx, val, y: d.y, w: d.w };
  });
  const k = CLASSES.length;
  const w = trainSoftmax(rows, vocabulary.length + 2, {
    classes: k,
    l2: config.l2,
    iterations: config.iterations,
    learningRate: config.learningRate,
  });
  const weights: Record<string, number[]> = {};
  for (let i = 0; i < vocabulary.length; i++) {
    const v = centred(w, i * k);
    // Weights this small move no message visibly; leaving them out keeps model.json small.
    if (Math.max(Math.abs(v[0] as number), Math.abs(v[1] as number), Math.abs(v[2] as number)) < 0.01)
      continue;
    weights[vocabulary[i] as string] = v;
  }
  return {
    config: { ...config },
    bias: centred(w, (vocabulary.length + 2) * k),
    rulePositive: centred(w, posAt * k),
    ruleNegative: centred(w, negAt * k),
    weights,
  };
}

export { softmaxInPlace };
