import type { StreamEvent } from '../types.js';

/** A sentiment alert as the stream's `alert` frame tells it: who, where, how negative. */
export interface AlertAbout {
  conversationId: string;
  customerName: string;
  queueName?: string;
  level: string;
  recipientRole: 'agent' | 'supervisor';
  at?: string;
}

export function alertAbout(e: StreamEvent): AlertAbout {
  const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const queueName = text(e.queueName);
  const at = text(e.at);
  return {
    conversationId: String(e.conversationId),
    customerName: text(e.customerName) ?? 'A customer',
    ...(queueName ? { queueName } : {}),
    level: text(e.level) ?? 'negative',
    recipientRole: e.recipientRole === 'agent' ? 'agent' : 'supervisor',
    ...(at ? { at } : {}),
  };
}

/** "Jordan Lee in Technical support is very negative": what the banner and a screen reader say. */
export function alertText(a: AlertAbout): string {
  return `${a.customerName}${a.queueName ? ` in ${a.queueName}` : ''} is ${a.level}`;
}

/** The screen-reader announcement of an alert frame. */
export const alertWords = (e: StreamEvent) => `Sentiment alert: ${alertText(alertAbout(e))}`;
