import { describe, expect, it } from 'vitest';
import { changesMyLoad, listsMoved, type Listed } from './dashboard-events.js';
import type { StreamEvent } from './types.js';

const ev = (type: string, over: Partial<StreamEvent> = {}): StreamEvent => ({ seq: 1, type, ...over });
const mine = new Set(['c_mine']);
const listed: Listed = { mine, open: new Set(['c_waiting']), closed: new Set(['c_closed']) };
const moved = (e: StreamEvent) => listsMoved(e, listed, 'alex');

describe('dashboard reactions to live events', () => {
  it('reads everything again when the stream says it skipped ahead', () => {
    const resync = ev('stream.resync', { missedAfter: 10, resumedAfter: 9000 });
    expect(moved(resync)).toEqual(['mine', 'open', 'closed']);
    expect(changesMyLoad(resync, 'alex', mine)).toBe(true);
  });

  it("asks for my profile on my offers, assignments and endings, never on a colleague's queue move", () => {
    expect(changesMyLoad(ev('offer.created'), 'alex', mine)).toBe(true);
    expect(changesMyLoad(ev('offer.closed'), 'alex', mine)).toBe(true);
    expect(changesMyLoad(ev('conversation.assigned', { agentId: 'alex' }), 'alex', mine)).toBe(true);
    expect(changesMyLoad(ev('conversation.ended', { conversationId: 'c_mine' }), 'alex', mine)).toBe(true);
    expect(
      changesMyLoad(ev('conversation.updated', { conversationId: 'c_x', agentId: 'alex' }), 'alex', mine),
    ).toBe(true);
    expect(
      changesMyLoad(ev('conversation.updated', { conversationId: 'c_mine', status: 'active' }), 'alex', mine),
    ).toBe(true);
    expect(
      changesMyLoad(
        ev('conversation.updated', { conversationId: 'c_gone', transferred: true }),
        'alex',
        mine,
      ),
    ).toBe(true);
    // A colleague's customer enters the queue, is offered to and taken by someone else.
    for (const agentId of [null, 'chen']) {
      expect(
        changesMyLoad(ev('conversation.updated', { conversationId: 'c_x', agentId }), 'alex', mine),
      ).toBe(false);
    }
    expect(changesMyLoad(ev('conversation.message', { conversationId: 'c_mine' }), 'alex', mine)).toBe(false);
    // My customer opened a page: their summary changes, not my load.
    const browsed = ev('conversation.updated', {
      conversationId: 'c_mine',
      status: 'active',
      portalNavigation: [],
    });
    expect(changesMyLoad(browsed, 'alex', mine)).toBe(false);
    expect(moved(browsed)).toEqual([]);
    expect(changesMyLoad(ev('presence.changed', { agentId: 'chen' }), 'alex', mine)).toBe(false);
    // My customer's connection, a colleague joining my chat: my load is what it was.
    const away = ev('conversation.updated', {
      conversationId: 'c_mine',
      status: 'active',
      customerAwaySince: null,
    });
    expect(changesMyLoad(away, 'alex', mine)).toBe(false);
    const joined = ev('conversation.updated', {
      conversationId: 'c_mine',
      status: 'active',
      participant: { agentId: 'chen', mode: 'consult', joined: true },
    });
    expect(changesMyLoad(joined, 'alex', mine)).toBe(false);
  });

  it('reads again the lists an item enters or leaves, as its status says', () => {
    // A customer enters the queue; someone else takes one from it.
    expect(
      moved(ev('conversation.updated', { conversationId: 'c_x', status: 'waiting', from: 'bot' })),
    ).toEqual(['open']);
    expect(
      moved(
        ev('conversation.updated', {
          conversationId: 'c_waiting',
          status: 'offered',
          from: 'waiting',
          agentId: 'chen',
        }),
      ),
    ).toEqual(['open']);
    // Mine: picked or accepted, ended, closed, reopened, transferred away.
    expect(
      moved(ev('conversation.assigned', { conversationId: 'c_x', agentId: 'alex', mode: 'primary' })),
    ).toEqual(['mine', 'open']);
    expect(moved(ev('conversation.ended', { conversationId: 'c_mine', status: 'wrap-up' }))).toEqual([
      'mine',
    ]);
    expect(moved(ev('conversation.ended', { conversationId: 'c_mine', status: 'closed' }))).toEqual([
      'mine',
      'closed',
    ]);
    expect(
      moved(
        ev('conversation.updated', {
          conversationId: 'c_closed',
          status: 'active',
          from: 'closed',
          agentId: 'alex',
        }),
      ),
    ).toEqual(['mine', 'closed']);
    expect(
      moved(ev('conversation.updated', { conversationId: 'c_mine', status: 'offered', transferred: true })),
    ).toEqual(['mine']);
  });

  it('reads nothing again for the chats the agent only consults on or monitors, however much they say', () => {
    expect(moved(ev('conversation.message', { conversationId: 'c_consulted' }))).toEqual([]);
    expect(moved(ev('conversation.message', { conversationId: 'c_mine' }))).toEqual([]);
    expect(
      moved(ev('conversation.assigned', { conversationId: 'c_consulted', agentId: 'alex', mode: 'consult' })),
    ).toEqual([]);
    expect(moved(ev('conversation.ended', { conversationId: 'c_consulted', status: 'closed' }))).toEqual([]);
    expect(
      moved(
        ev('conversation.updated', {
          conversationId: 'c_consulted',
          status: 'wrap-up',
          from: 'active',
          agentId: 'chen',
        }),
      ),
    ).toEqual([]);
    expect(
      moved(
        ev('conversation.updated', {
          conversationId: 'c_mine',
          status: 'active',
          participant: { agentId: 'chen', mode: 'consult', joined: true },
        }),
      ),
    ).toEqual([]);
    expect(
      moved(
        ev('conversation.updated', { conversationId: 'c_mine', status: 'active', customerAwaySince: null }),
      ),
    ).toEqual([]);
    // A waiting customer's words may be the first message the open list quotes.
    expect(moved(ev('conversation.message', { conversationId: 'c_waiting' }))).toEqual(['open']);
    expect(moved(ev('offer.created', { conversationId: 'c_x' }))).toEqual([]);
    expect(moved(ev('sentiment.changed', { conversationId: 'c_mine' }))).toEqual([]);
    expect(moved(ev('presence.changed'))).toEqual([]);
  });
});
