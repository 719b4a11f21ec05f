// Which sentiment banners the supervisor view shows. The board's rows say what the server knows
// (`lastAlert` and `alerts` on each, read every few seconds), so alerts that came while the view was
// elsewhere or not yet opened show as well; a live frame shows at once, until a read of the board
// that began after it. A banner goes when its chat recovers above the supervisor's threshold (the
// server re-arms its alert then), when the chat is no longer ongoing, or when it is dismissed (until
// a later alert on that chat).

import type { AlertThreshold, Sentiment, SentimentLevel, SupervisorConversation } from '../types.js';
import type { AlertAbout } from './alert-words.js';

export interface Banner extends AlertAbout {
  count: number;
}

/** A live `alert` frame and when it came (the tab's clock, compared with when reads began). */
export interface LiveAlert {
  about: AlertAbout;
  receivedAt: number;
}

export interface BannerInput {
  rows: readonly SupervisorConversation[] | null;
  /** The board holds every ongoing chat of the supervisor's queues (not cut at its limit). */
  complete: boolean;
  live: ReadonlyMap<string, LiveAlert>;
  /** Per conversation, the time of the latest alert dismissed: later alerts show again. */
  dismissed: ReadonlyMap<string, string>;
  threshold: AlertThreshold | undefined;
  meId: string;
  queueName: (row: SupervisorConversation) => string | undefined;
}

const WORST_FIRST: readonly SentimentLevel[] = [
  'very negative',
  'negative',
  'slightly negative',
  'neutral',
  'slightly positive',
  'positive',
  'very positive',
];

const levelOf = (s: SentimentLevel | Sentiment | undefined): SentimentLevel | undefined =>
  typeof s === 'string' ? s : s?.level;

/** Still at or below the threshold that raised the alert (no threshold: alerts are off). */
export function stillAlarming(
  s: SentimentLevel | Sentiment | undefined,
  threshold: AlertThreshold | undefined,
): boolean {
  const level = levelOf(s);
  if (!level || !threshold || threshold === 'off') return false;
  return WORST_FIRST.indexOf(level) <= WORST_FIRST.indexOf(threshold);
}

const time = (at: string | undefined) => (at ? Date.parse(at) : 0);

/** The banners to show, newest alert first. */
export function bannersOf(input: BannerInput): Banner[] {
  const { rows, live, dismissed, threshold } = input;
  if (threshold === 'off') return [];
  const out = new Map<string, Banner>();
  const rowsById = new Map((rows ?? []).map((r) => [r.id, r]));
  const wasDismissed = (id: string, at: string | undefined) => {
    const d = dismissed.get(id);
    return d !== undefined && time(at) <= time(d);
  };

  for (const r of rows ?? []) {
    if (!r.lastAlert || !r.alerts || wasDismissed(r.id, r.lastAlert.at)) continue;
    if (!stillAlarming(r.sentiment, threshold)) continue;
    const queueName = input.queueName(r);
    out.set(r.id, {
      conversationId: r.id,
      customerName: r.customerName ?? 'A customer',
      ...(queueName ? { queueName } : {}),
      level: r.lastAlert.level,
      recipientRole: r.agentId === input.meId ? 'agent' : 'supervisor',
      at: r.lastAlert.at,
      count: r.alerts,
    });
  }

  for (const [id, { about }] of live) {
    const row = rowsById.get(id);
    // Not on a board that holds every ongoing chat: it ended since.
    if (rows && input.complete && !row) continue;
    if (wasDismissed(id, about.at)) continue;
    const known = out.get(id);
    if (known && time(known.at) >= time(about.at)) continue;
    // A frame from before the names came: the board may know the customer and queue.
    const queueName = about.queueName ?? (row ? input.queueName(row) : undefined);
    out.set(id, {
      ...about,
      customerName:
        about.customerName === 'A customer' && row?.customerName ? row.customerName : about.customerName,
      ...(queueName ? { queueName } : {}),
      // The read before it did not count it yet.
      count: (row?.alerts ?? 0) + 1,
    });
  }
  return [...out.values()].sort((a, b) => time(b.at) - time(a.at));
}
