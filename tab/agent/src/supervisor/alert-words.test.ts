import { describe, expect, it } from 'vitest';
import { alertAbout, alertText, alertWords } from './alert-words.js';

describe('sentiment alerts in words', () => {
  it('names the customer, the queue and how negative', () => {
    const e = {
      seq: 9,
      type: 'alert',
      conversationId: 'conv_1',
      customerName: 'Jordan Lee',
      queueName: 'Technical support',
      level: 'very negative',
      recipientRole: 'supervisor',
    };
    expect(alertWords(e)).toBe('Sentiment alert: Jordan Lee in Technical support is very negative');
  });

  it('still reads as a sentence from a server that does not send the names', () => {
    const a = alertAbout({ seq: 1, type: 'alert', conversationId: 'c', level: 'negative' });
    expect(alertText(a)).toBe('A customer is negative');
  });
});
