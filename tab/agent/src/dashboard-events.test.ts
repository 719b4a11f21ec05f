import { describe, expect, it } from 'vitest';
import { changesMyLoad, movesMyLists } from './dashboard-events.js';
import type { StreamEvent } from './types.js';

const ev = (type: string, over: Partial<StreamEvent> = {}): StreamEvent => ({ seq: 1, type, ...over });
const mine = new Set(['c_mine']);

describe('dashboard reactions to live events', () => {
  it('reads everything again when the stream says it skipped ahead', () => {
    const resync = ev('stream.resync', { missedAfter: 10, resumedAfter: 9000 });
    expect(movesMyLists(resync, mine)).toBe(true);
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
    expect(movesMyLists(browsed, mine)).toBe(false);
    expect(changesMyLoad(ev('presence.changed', { agentId: 'chen' }), 'alex', mine)).toBe(false);
  });

  it('refreshes the lists on conversation and offer moves, not on messages of items already listed', () => {
    expect(movesMyLists(ev('conversation.updated', { conversationId: 'c_x' }), mine)).toBe(true);
    expect(movesMyLists(ev('offer.created'), mine)).toBe(true);
    expect(movesMyLists(ev('conversation.message', { conversationId: 'c_other' }), mine)).toBe(true);
    expect(movesMyLists(ev('conversation.message', { conversationId: 'c_mine' }), mine)).toBe(false);
    expect(movesMyLists(ev('sentiment.changed', { conversationId: 'c_mine' }), mine)).toBe(false);
    expect(movesMyLists(ev('presence.changed'), mine)).toBe(false);
  });
});
