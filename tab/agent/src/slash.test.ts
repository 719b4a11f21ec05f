import { describe, expect, it } from 'vitest';
import { fillSlots, matches, moveIndex, openSlots, parseSlash } from './slash.js';

describe('slash commands', () => {
  it('reads the command and the query from the draft', () => {
    expect(parseSlash('/q greet')).toEqual({ command: 'q', query: 'greet', start: 0 });
    expect(parseSlash('/tq  Billing ')).toEqual({ command: 'tq', query: 'Billing', start: 0 });
    expect(parseSlash('/kb')).toEqual({ command: 'kb', query: '', start: 0 });
    expect(parseSlash('/T chen')).toEqual({ command: 't', query: 'chen', start: 0 });
  });

  it('reads a quick reply looked for on the last line, under words already typed', () => {
    expect(parseSlash('Sorry for the wait.\n/q outage')).toEqual({
      command: 'q',
      query: 'outage',
      start: 20,
    });
    expect(parseSlash('Hello\n/q')).toEqual({ command: 'q', query: '', start: 6 });
    expect(parseSlash('Hello\n/q outage\nthen more')).toBeNull();
    // Only a quick reply goes in among words; the other commands act on the chat.
    expect(parseSlash('Let me ask\n/c chen')).toBeNull();
  });

  it('leaves ordinary messages alone, slashes inside text included', () => {
    expect(parseSlash('hello/q')).toBeNull();
    expect(parseSlash('press /q to quit now, or /quit')).toBeNull();
    expect(parseSlash(' /q greet')).toBeNull();
    expect(parseSlash('/quit')).toBeNull();
    expect(parseSlash('1/2 of the bill')).toBeNull();
  });

  it('moves through options with wrap-around', () => {
    expect(moveIndex(0, 'ArrowDown', 3)).toBe(1);
    expect(moveIndex(2, 'ArrowDown', 3)).toBe(0);
    expect(moveIndex(0, 'ArrowUp', 3)).toBe(2);
    expect(moveIndex(1, 'End', 3)).toBe(2);
    expect(moveIndex(0, 'ArrowDown', 0)).toBe(-1);
  });

  it('filters on every word of the query', () => {
    expect(matches('slow wifi', 'Slow Wi-Fi troubleshooting', 'wifi slow in the evening')).toBe(true);
    expect(matches('slow billing', 'Slow Wi-Fi troubleshooting')).toBe(false);
    expect(matches('', 'anything')).toBe(true);
  });

  it('finds the slots a draft still holds, each once, and nothing in braces that is no slot', () => {
    expect(openSlots('Case {caseNumber} for {customerName}; see {caseNumber}')).toEqual([
      '{caseNumber}',
      '{customerName}',
    ]);
    expect(openSlots('Thanks, Jordan. Case CAS-01013 is open.')).toEqual([]);
    expect(openSlots('Type {} or {"a":1} or {:-}')).toEqual([]);
  });

  it('finds a slot however its name is written, as the server reads it', () => {
    expect(openSlots('I have opened case {Case Number} for { customer_name }.')).toEqual([
      '{Case Number}',
      '{customer_name}',
    ]);
    expect(openSlots('Ref {Ticket ID}, step {1st}')).toEqual(['{Ticket ID}', '{1st}']);
  });

  it('fills the slots a quick reply came back with unfilled', () => {
    expect(fillSlots('Hi {customerName}, this is {agentName}.', 'Jordan', 'Alex')).toBe(
      'Hi Jordan, this is Alex.',
    );
    expect(fillSlots('Hi {Customer Name}, {agent_name} here. {caseNumber}', 'Jordan', 'Alex')).toBe(
      'Hi Jordan, Alex here. {caseNumber}',
    );
  });
});
