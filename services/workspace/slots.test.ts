import { describe, expect, it } from 'vitest';
import { fillSlots } from './slots.js';

describe('fillSlots', () => {
  it('fills known slots and leaves unknown ones visible for the agent', () => {
    const r = fillSlots('Hi {customerName}, case {caseNumber} — {agentName} here. {mystery}', {
      customerName: 'Dana',
      agentName: 'Alex Rivera',
      caseNumber: undefined,
    });
    expect(r.text).toBe('Hi Dana, case {caseNumber} — Alex Rivera here. {mystery}');
    expect(r.unfilled).toEqual(['caseNumber', 'mystery']);
  });

  it('lists a slot once however often it appears, and treats blank values as unknown', () => {
    const r = fillSlots('{customerName} {customerName} {agentName}', {
      customerName: '  ',
      agentName: 'Alex',
    });
    expect(r.text).toBe('{customerName} {customerName} Alex');
    expect(r.unfilled).toEqual(['customerName']);
  });

  it('fills dotted slots and ignores text that only looks like braces', () => {
    const r = fillSlots('Topic: {preChat.topic}; JSON {"a":1} and { spaced }', {
      'preChat.topic': 'Billing',
    });
    expect(r.text).toBe('Topic: Billing; JSON {"a":1} and { spaced }');
    expect(r.unfilled).toEqual([]);
  });

  it('does not take values from the object prototype', () => {
    expect(fillSlots('{toString}', {}).text).toBe('{toString}');
  });
});
