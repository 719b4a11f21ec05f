import type { SentimentLevel, SentimentReading } from '../domain/index.js';

/**
 * The conversation's sentiment follows the customer's recent messages rather than the whole history:
 * an exponential moving average, so one angry line after a calm start moves it clearly, and a calmer
 * follow-up pulls it back. The weight of the newest message is `NEWEST_WEIGHT`.
 */
export const NEWEST_WEIGHT = 0.6;

/** Boundaries of the seven levels of DESIGN.md §6 on the −1…1 score (upper bounds, exclusive). */
const LEVEL_BOUNDS: Array<[number, SentimentLevel]> = [
  [-0.6, 'very negative'],
  [-0.3, 'negative'],
  [-0.1, 'slightly negative'],
  [0.1, 'neutral'],
  [0.3, 'slightly positive'],
  [0.6, 'positive'],
];

export function levelForScore(score: number): SentimentLevel {
  for (const [upper, level] of LEVEL_BOUNDS) if (score < upper) return level;
  return 'very positive';
}

export function rollSentiment(
  previous: SentimentReading | undefined,
  newest: { score: number },
  at: Date,
): SentimentReading {
  const score = previous ? previous.score * (1 - NEWEST_WEIGHT) + newest.score * NEWEST_WEIGHT : newest.score;
  const rounded = Math.round(score * 1000) / 1000;
  return { score: rounded, level: levelForScore(rounded), at };
}
