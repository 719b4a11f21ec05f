import type { SentimentLevel, SentimentReading, SentimentThreshold } from '../../domain/index.js';
import { levelRank, thresholdRank } from './levels.js';

export interface AlertRecipient {
  id: string;
  role: 'agent' | 'supervisor';
  threshold: SentimentThreshold;
}

export interface SentimentAlert {
  recipientId: string;
  recipientRole: 'agent' | 'supervisor';
  level: SentimentLevel;
}

function atOrBelow(reading: SentimentReading | undefined, rank: number): boolean {
  return reading !== undefined && levelRank(reading.level) <= rank;
}

/**
 * Which alerts fire when the conversation's reading changes from `previous` to `current`. An alert
 * fires on the crossing only, so a customer who stays angry for ten messages raises it once; once the
 * reading recovers above the threshold the next crossing fires again. Which supervisors are
 * recipients (those in the conversation's queue) is the caller's choice.
 */
export function decideSentimentAlerts(
  previous: SentimentReading | undefined,
  current: SentimentReading,
  recipients: readonly AlertRecipient[],
): SentimentAlert[] {
  const alerts: SentimentAlert[] = [];
  for (const r of recipients) {
    const rank = thresholdRank(r.threshold);
    if (rank === undefined) continue;
    if (atOrBelow(current, rank) && !atOrBelow(previous, rank)) {
      alerts.push({ recipientId: r.id, recipientRole: r.role, level: current.level });
    }
  }
  return alerts;
}
