import { describe, expect, it } from 'vitest';
import {
  dayLabel,
  dayOf,
  formatDuration,
  formatFullDateTime,
  humanKey,
  secondsUntil,
  sentimentColor,
} from './format.js';

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

  it("counts a transcript's days where the agent is, not in UTC", () => {
    const adelaide = 'Australia/Adelaide';
    // 23:50 and 00:01 in Adelaide (UTC+10:30 in December): two days there, one in UTC.
    const before = '2026-12-07T13:20:00Z';
    const after = '2026-12-07T13:31:00Z';
    expect(dayOf(before, adelaide)).toBe('2026-12-07');
    expect(dayOf(after, adelaide)).toBe('2026-12-08');
    expect(dayOf(before, 'UTC')).toBe(dayOf(after, 'UTC'));
    const now = Date.parse('2026-12-08T02:00:00Z');
    expect(dayLabel(after, now, adelaide)).toBe('Today');
    expect(dayLabel(before, now, adelaide)).toBe('Yesterday');
    expect(dayLabel('2026-12-05T01:00:00Z', now, adelaide)).toMatch(/Saturday.*5.*December|December.*5/);
    expect(dayLabel('2025-12-05T01:00:00Z', now, adelaide)).toMatch(/2025/);
    expect(dayOf('not a date')).toBe('');
  });

  it("gives a message's time with its day in full for the tooltip", () => {
    expect(formatFullDateTime('2026-12-07T13:20:00Z', 'Australia/Adelaide')).toMatch(
      /Monday.*(7.*December|December.*7).*2026/,
    );
    expect(formatFullDateTime(undefined)).toBe('');
  });
});
