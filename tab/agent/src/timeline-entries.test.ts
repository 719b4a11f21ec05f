import { describe, expect, it } from 'vitest';
import { timelineFacts, withOlder } from './timeline-entries.js';
import type { TimelineEntry } from './types.js';

const at = '2026-03-01T10:00:00.000Z';

describe("the timeline's entries in words", () => {
  it("says a past chat's status, agent, disposition and rating; a case's status; a note's author", () => {
    expect(
      timelineFacts({
        kind: 'conversation',
        id: 'c1',
        title: 'Web chat · Billing',
        at,
        status: 'closed',
        agentName: 'Alex Rivera',
        disposition: 'Refund issued',
        rating: 4,
      }),
    ).toEqual(['Closed', 'with Alex Rivera', 'wrapped up: Refund issued', 'rated 4 of 5']);
    expect(timelineFacts({ kind: 'conversation', id: 'c2', title: 'Web chat', at, status: 'bot' })).toEqual([
      'Bot',
    ]);
    expect(
      timelineFacts({
        kind: 'case',
        id: 'k',
        title: 'CAS-1 Outage',
        at,
        status: 'active',
        caseNumber: 'CAS-1',
      }),
    ).toEqual(['Active']);
    expect(
      timelineFacts({ kind: 'note', id: 'n', title: 'Call back', at, authorName: 'Emma Larsen' }),
    ).toEqual(['by Emma Larsen']);
  });

  it('adds an older page without repeating an entry already shown', () => {
    const a: TimelineEntry = { kind: 'note', id: 'a', title: 'a', at };
    const b: TimelineEntry = { kind: 'case', id: 'a', title: 'b', at };
    expect(withOlder([a], [a, b])).toEqual([a, b]);
  });
});
