import type { Logger } from '../../services/log.js';
import { KeyedQueue } from '../keyed-queue.js';
import { ConnectorError, type Connector, type ConnectorTarget, type OutboundActivity } from './connector.js';
import { Pacer, TEAMS_PACE, type PaceLimits } from './pacer.js';
import { DEFAULT_RETRY, isRetryable, retryDelayMs, type RetryPolicy } from './retry.js';

export interface SenderOptions {
  connector: Connector;
  now(): Date;
  random(): number;
  log: Logger;
  sleep?(ms: number): Promise<void>;
  pace?: PaceLimits;
  retry?: RetryPolicy;
}

const realSleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref?.();
  });

/**
 * Proactive messages into Teams conversations: one at a time per conversation (so cards and their
 * updates arrive in order), paced within Teams' limits, retried on 429 / 5xx with backoff.
 */
export class ProactiveSender {
  private readonly queue = new KeyedQueue();
  private readonly pacer: Pacer;
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly o: SenderOptions) {
    this.pacer = new Pacer(o.pace ?? TEAMS_PACE);
    this.retry = o.retry ?? DEFAULT_RETRY;
    this.sleep = o.sleep ?? realSleep;
  }

  send(target: ConnectorTarget, activity: OutboundActivity): Promise<{ id: string }> {
    return this.run(target, 'send', () => this.o.connector.send(target, activity));
  }

  update(target: ConnectorTarget, activityId: string, activity: OutboundActivity): Promise<void> {
    return this.run(target, 'update', () => this.o.connector.update(target, activityId, activity));
  }

  async idle(): Promise<void> {
    await this.queue.drain();
  }

  private run<T>(target: ConnectorTarget, what: string, call: () => Promise<T>): Promise<T> {
    const key = `${target.serviceUrl}|${target.conversationId}`;
    return this.queue.run(key, async () => {
      for (let attempt = 1; ; attempt++) {
        const wait = this.pacer.reserve(key, this.o.now().getTime());
        if (wait > 0) await this.sleep(wait);
        try {
          return await call();
        } catch (err) {
          const status = err instanceof ConnectorError ? err.status : -1;
          if (!isRetryable(status) || attempt >= this.retry.maxAttempts) throw err;
          const retryAfter = err instanceof ConnectorError ? err.retryAfter : null;
          const delay = retryDelayMs(attempt, retryAfter, this.o.now(), this.o.random, this.retry);
          this.o.log.warn('teams send will be retried', {
            what,
            status,
            attempt,
            delayMs: delay,
            retryAfter,
            teamsConversationId: target.conversationId,
          });
          await this.sleep(delay);
        }
      }
    });
  }
}
