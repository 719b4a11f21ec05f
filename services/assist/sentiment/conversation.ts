import type { SentimentReading } from '../../domain/index.js';
import { levelOf } from './levels.js';

/**
 * How much a new message moves the conversation's reading. Recent messages dominate (an
 * exponentially weighted mean), and emotional ones more than neutral ones: an "ok" or "one moment"
 * from an angry customer should not read as the anger having passed.
 */
export const RECENT_WEIGHT = { emotional: 0.5, neutral: 0.15 } as const;

/** The conversation's reading after one more customer message (pure; the caller stores it). */
export function nextConversationSentiment(
  previous: SentimentReading | undefined,
  message: SentimentReading,
): SentimentReading {
  if (previous === undefined) return { score: message.score, level: message.level, at: message.at };
  const w = message.level === 'neutral' ? RECENT_WEIGHT.neutral : RECENT_WEIGHT.emotional;
  const score = w * message.score + (1 - w) * previous.score;
  return { score, level: levelOf(score), at: message.at };
}

/** The reading of a whole conversation from its customer messages' readings, oldest first. */
export function conversationSentiment(readings: readonly SentimentReading[]): SentimentReading | undefined {
  let current: SentimentReading | undefined;
  for (const r of readings) current = nextConversationSentiment(current, r);
  return current;
}

/** Direction of the last change, for the agent's trend arrow. */
export function sentimentTrend(
  previous: SentimentReading | undefined,
  current: SentimentReading,
): 'improving' | 'worsening' | 'steady' {
  if (previous === undefined) return 'steady';
  const delta = current.score - previous.score;
  // Small moves are noise from a neutral message or two.
  if (delta > 0.05) return 'improving';
  if (delta < -0.05) return 'worsening';
  return 'steady';
}
