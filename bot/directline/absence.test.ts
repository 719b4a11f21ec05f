import { describe, expect, it } from 'vitest';
import { StreamAbsence } from './absence.js';

const AWAY = 180_000;

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
});
