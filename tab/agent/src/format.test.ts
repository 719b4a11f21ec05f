import { describe, expect, it } from 'vitest';
import { formatDuration, humanKey, secondsUntil, sentimentColor } from './format.js';

describe('formatting for agents', () => {
  it('says waits in seconds, minutes or hours', () => {
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(95)).toBe('1 min 35 s');
    expect(formatDuration(3720)).toBe('1 h 02 min');
    expect(formatDuration(undefined)).toBe('—');
  });

  it('counts an offer down to zero, never below', () => {
    const now = Date.parse('2026-01-01T10:00:00Z');
    expect(secondsUntil('2026-01-01T10:00:29.2Z', now)).toBe(30);
    expect(secondsUntil('2026-01-01T09:59:00Z', now)).toBe(0);
  });

  it('makes negative sentiment stand out and keeps neutral quiet', () => {
    expect(sentimentColor('very negative')).toBe('danger');
    expect(sentimentColor('slightly negative')).toBe('warning');
    expect(sentimentColor('neutral')).toBe('informative');
    expect(sentimentColor('positive')).toBe('success');
  });

  it('labels context keys for people', () => {
    expect(humanKey('preferredLanguage')).toBe('Preferred language');
    expect(humanKey('account_number')).toBe('Account number');
  });
});
