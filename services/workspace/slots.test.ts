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

  it('fills dotted slots and ignores braces around code or punctuation', () => {
    const r = fillSlots('Topic: {preChat.topic}; JSON {"a":1}, {} and {:-}', {
      'preChat.topic': 'Billing',
    });
    expect(r.text).toBe('Topic: Billing; JSON {"a":1}, {} and {:-}');
    expect(r.unfilled).toEqual([]);
  });

  it('reads a slot however its name is written, and lists any name it does not know', () => {
    const r = fillSlots('{Case Number}, {case_number}, { caseNumber }, {CUSTOMER NAME}; {Ticket ID} {1st}', {
      caseNumber: 'CAS-01016',
      customerName: 'Dana',
    });
    expect(r.text).toBe('CAS-01016, CAS-01016, CAS-01016, Dana; {Ticket ID} {1st}');
    expect(r.unfilled).toEqual(['Ticket ID', '1st']);
    expect(fillSlots('Case {Case Number}', { caseNumber: undefined }).unfilled).toEqual(['Case Number']);
  });

  it('does not take values from the object prototype', () => {
    expect(fillSlots('{toString}', {}).text).toBe('{toString}');
  });
});
