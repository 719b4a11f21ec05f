import { describe, expect, it } from 'vitest';
import { StreamAbsence } from './absence.js';

const AWAY = 180_000;
const DISCONNECTED = 15_000;

function watch() {
  let t = 0;
  const a = new StreamAbsence(() => t);
  return Object.assign(a, { at: (ms: number) => ((t = ms), a) });
}

describe('StreamAbsence', () => {
  it('counts a customer gone once their last stream has been closed for the away time', () => {
    const a = watch();
    a.opened('c1');
    a.opened('c1'); // a second tab
    a.closed('c1');
    expect(a.at(AWAY * 2).takeGone(AWAY)).toEqual([]); // one tab still open
    a.closed('c1');
    expect(a.at(AWAY * 3 - 1).takeGone(AWAY)).toEqual([]);
    expect(a.at(AWAY * 3).takeGone(AWAY)).toEqual(['c1']);
    // Told once.
    expect(a.at(AWAY * 10).takeGone(AWAY)).toEqual([]);
  });

  it('keeps a customer who came back on a new stream or by a request', () => {
    const a = watch();
    a.opened('reload');
    a.closed('reload');
    a.opened('reload');
    a.opened('polls');
    a.closed('polls');
    a.at(100_000).heard('polls'); // fell back to polling
    expect(a.at(AWAY).takeGone(AWAY)).toEqual([]);
    expect(a.at(100_000 + AWAY).takeGone(AWAY)).toEqual(['polls']);
  });

  it('never watches a client that only polls, nor a conversation that ended', () => {
    const a = watch();
    a.heard('rest-only');
    a.opened('ended');
    a.closed('ended');
    a.forget('ended');
    // Its stream closed after the end: nothing to watch.
    a.opened('ends-first');
    a.closed('ends-first', { watch: false });
    expect(a.at(AWAY * 10).takeGone(AWAY)).toEqual([]);
  });

  it('reports a customer disconnected once, with when their last stream closed, and back when they return', () => {
    const a = watch();
    a.opened('c1');
    a.opened('c1');
    a.at(1_000).closed('c1');
    expect(a.at(30_000).takeDisconnected(DISCONNECTED)).toEqual([]); // a tab still open
    a.at(40_000).closed('c1');
    expect(a.at(54_999).takeDisconnected(DISCONNECTED)).toEqual([]);
    expect(a.at(55_000).takeDisconnected(DISCONNECTED)).toEqual([{ conversationId: 'c1', since: 40_000 }]);
    expect(a.at(60_000).takeDisconnected(DISCONNECTED)).toEqual([]); // told once
    expect(a.opened('c1')).toBe(true); // back on a stream
    expect(a.opened('c1')).toBe(false); // said once
    a.at(70_000).closed('c1');
    a.closed('c1');
    expect(a.at(85_000).takeDisconnected(DISCONNECTED)).toEqual([{ conversationId: 'c1', since: 70_000 }]);
    expect(a.heard('c1')).toBe(true); // back by polling
    expect(a.heard('c1')).toBe(false);
  });

  it('says nothing of a reload, a client that only polls, or a customer already counted gone', () => {
    const a = watch();
    a.opened('reload');
    a.closed('reload');
    expect(a.at(5_000).opened('reload')).toBe(false);
    expect(a.heard('rest-only')).toBe(false);
    a.opened('gone');
    a.at(0).closed('gone');
    expect(a.at(DISCONNECTED).takeDisconnected(DISCONNECTED)).toHaveLength(1);
    expect(a.at(AWAY).takeGone(AWAY)).toEqual(['gone']);
    // Back after leaving: the chat had ended for them, nothing to take back.
    expect(a.opened('gone')).toBe(false);
    expect(a.at(AWAY * 5).takeDisconnected(DISCONNECTED)).toEqual([]);
  });

  it('waits again after a restart for the customers watched before it, and says each is back once', () => {
    const a = watch();
    a.at(1_000).opened('early'); // reconnected before the channel read who was watched
    expect(a.at(2_000).watchRecovered(['early', 'lost', 'returns', 'flaky'])).toEqual(['early']);
    expect(
      a
        .at(2_000 + DISCONNECTED)
        .takeDisconnected(DISCONNECTED)
        .map((d) => d.conversationId),
    ).toEqual(['lost', 'returns', 'flaky']);
    // Not known to have been reported before the restart, but reported since: back once.
    expect(a.opened('returns')).toBe(true);
    expect(a.opened('returns')).toBe(false);
    expect(a.at(2_000 + AWAY).takeGone(AWAY)).toEqual(['lost', 'flaky']);
  });

  it('says a recovered customer is back even before they were reported disconnected', () => {
    const a = watch();
    a.watchRecovered(['stale']);
    // They may have been reported before the restart, and nothing here says otherwise.
    expect(a.at(1_000).opened('stale')).toBe(true);
    expect(a.at(1_000 + AWAY).takeGone(AWAY)).toEqual([]);
    a.closed('stale');
    expect(a.at(2_000 + AWAY).opened('stale')).toBe(false);
  });
});
