import { describe, expect, it } from 'vitest';
import { queueLabel } from './queue-label.js';

describe('a queue on the wallboard', () => {
  it('says it is closed when the server says it is outside its hours', () => {
    expect(queueLabel({ queueId: 'q_billing', queueName: 'Billing', open: false })).toBe('Billing (closed)');
  });

  it('is named plainly when open, or when the server does not say', () => {
    expect(queueLabel({ queueId: 'q_tech', queueName: 'Technical support', open: true })).toBe(
      'Technical support',
    );
    expect(queueLabel({ queueId: 'q_tech' })).toBe('q_tech');
  });
});
