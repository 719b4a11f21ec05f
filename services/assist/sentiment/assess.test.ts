import { describe, expect, it } from 'vitest';
import type { SentimentReading } from '../../domain/entities.js';
import type { AlertRecipient } from './alerts.js';
import { assessCustomerMessage } from './assess.js';

const at = new Date('2026-11-25T10:00:00Z');
const agent: AlertRecipient = { id: 'agent_1', role: 'agent', threshold: 'negative' };

describe('assessing a customer message', () => {
  it('alerts once as a conversation turns angry, then not again while it stays angry', () => {
    let conversation: SentimentReading | undefined;
    const alerts: number[] = [];
    for (const text of [
      'Hi, my internet is down.',
      'This is the third time I am contacting you, it is still not working!!!',
      'Absolutely terrible service, I want to cancel my subscription.',
      'ok',
    ]) {
      const a = assessCustomerMessage(text, at, conversation, [agent]);
      alerts.push(a.alerts.length);
      conversation = a.conversation;
    }
    expect(alerts.reduce((x, y) => x + y, 0)).toBe(1);
    expect(alerts[0]).toBe(0);
  });

  it('reports the message reading, the trend and a level change', () => {
    const first = assessCustomerMessage('Still not working.', at, undefined, []);
    expect(first.message.level).toMatch(/negative/u);
    expect(first.levelChanged).toBe(true);
    const second = assessCustomerMessage('Thanks, it works now!', at, first.conversation, []);
    expect(second.message.level).toMatch(/positive/u);
    expect(second.trend).toBe('improving');
    expect(second.levelChanged).toBe(true);
  });
});
