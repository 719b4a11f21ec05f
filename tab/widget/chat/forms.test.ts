import { describe, expect, it } from 'vitest';
import type { PreChatQuestion } from './activity.js';
import { preChatSummary, validateAnswer } from './forms.js';

const q = (over: Partial<PreChatQuestion>): PreChatQuestion => ({
  id: 'x',
  prompt: 'X',
  kind: 'text',
  ...over,
});

describe('pre-chat answers', () => {
  it('asks for required answers and checks emails and choices', () => {
    expect(validateAnswer(q({ required: true }), '  ')).toBe('This field is required.');
    expect(validateAnswer(q({ required: false }), '')).toBeNull();
    expect(validateAnswer(q({ kind: 'email' }), 'jordan@')).toMatch(/email address/);
    expect(validateAnswer(q({ kind: 'email' }), 'jordan@example.com')).toBeNull();
    expect(validateAnswer(q({ kind: 'choice', choices: ['Billing'] }), 'Other')).toMatch(/Choose/);
    expect(validateAnswer(q({ kind: 'choice', choices: ['Billing'] }), 'Billing')).toBeNull();
  });

  it('summarises the answers as readable text, in question order, skipping blanks', () => {
    const questions = [
      q({ id: 'name', prompt: 'Your name' }),
      q({ id: 'topic', prompt: 'What can we help you with?' }),
      q({ id: 'more', prompt: 'Anything else:' }),
    ];
    expect(preChatSummary(questions, { topic: 'Billing', name: 'Jordan' })).toBe(
      'Your name: Jordan\nWhat can we help you with: Billing',
    );
  });
});
