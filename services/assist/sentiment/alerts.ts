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

/** A stored reading or alert, placed by its number in the event log. */
export interface Numbered<T> {
  seq: number;
  value: T;
}

/**
 * Alerts owed to people who begin to watch a conversation — its agent on accepting it, its queue's
 * supervisors when it is queued — whose threshold its reading already stands at or below: the
 * crossing happened before they were there to be told, and would otherwise never be told at all.
 * Not to a recipient already alerted since the reading last stood above their threshold (a
 * transfer back to a queue, the crossing's own alert racing the arrival). `readings` in log order.
 */
export function decideArrivalAlerts(
  readings: readonly Numbered<SentimentLevel>[],
  alerted: readonly Numbered<string>[],
  recipients: readonly AlertRecipient[],
): SentimentAlert[] {
  const current = readings.at(-1);
  if (current === undefined) return [];
  const alerts: SentimentAlert[] = [];
  for (const r of recipients) {
    const rank = thresholdRank(r.threshold);
    if (rank === undefined || levelRank(current.value) > rank) continue;
    const lastAbove = readings.findLast((x) => levelRank(x.value) > rank)?.seq ?? -Infinity;
    if (alerted.some((a) => a.value === r.id && a.seq > lastAbove)) continue;
    alerts.push({ recipientId: r.id, recipientRole: r.role, level: current.value });
  }
  return alerts;
}
