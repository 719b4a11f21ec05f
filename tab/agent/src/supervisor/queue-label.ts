import type { QueueRealtime } from '../types.js';

/**
 * A queue as the wallboard names it: a queue outside its hours says so, since its zero "with room"
 * is the hours', not the people's. Read only when the server sends `open` (a server without it
 * shows every queue as it did).
 */
export function queueLabel(q: Pick<QueueRealtime, 'queueId' | 'queueName' | 'open'>): string {
  const name = q.queueName ?? q.queueId;
  return q.open === false ? `${name} (closed)` : name;
}
