import { SENTIMENT_LEVELS, type SentimentLevel, type SentimentThreshold } from '../../domain/index.js';

/**
 * Boundaries on |score|. The neutral band was chosen on the tuning half of the evaluation set: a
 * single mild AFINN word (valence 1, score 0.25) is just outside it, a negated mild one inside.
 */
export const LEVEL_BOUNDS = { neutral: 0.2, moderate: 0.35, strong: 0.65 } as const;

export function levelOf(score: number): SentimentLevel {
  const a = Math.abs(score);
  if (a < LEVEL_BOUNDS.neutral) return 'neutral';
  const negative = score < 0;
  if (a < LEVEL_BOUNDS.moderate) return negative ? 'slightly negative' : 'slightly positive';
  if (a < LEVEL_BOUNDS.strong) return negative ? 'negative' : 'positive';
  return negative ? 'very negative' : 'very positive';
}

export function levelRank(level: SentimentLevel): number {
  return SENTIMENT_LEVELS.indexOf(level);
}

/** −3 (very negative) … +3 (very positive): the unit of CSP (customer sentiment polarity). */
export function levelValue(level: SentimentLevel): number {
  return levelRank(level) - 3;
}

/** The three negative levels count as negative, the three positive as positive. */
export function threeWay(level: SentimentLevel): 'negative' | 'neutral' | 'positive' {
  const v = levelValue(level);
  return v < 0 ? 'negative' : v > 0 ? 'positive' : 'neutral';
}

/** Rank of a threshold, or undefined for 'off' (no alerts). */
export function thresholdRank(threshold: SentimentThreshold): number | undefined {
  return threshold === 'off' ? undefined : levelRank(threshold);
}

export function roundScore(score: number): number {
  const r = Math.round(score * 100) / 100;
  return r === 0 ? 0 : r; // no "-0" in JSON output
}
