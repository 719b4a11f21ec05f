import { describe, expect, it } from 'vitest';
import { RecentlyOngoing } from './recently-ongoing.js';

function withClock(windowMs = 1000) {
  const clock = { t: 0 };
  return { clock, recent: new RecentlyOngoing(windowMs, () => clock.t) };
}

describe('RecentlyOngoing', () => {
  it('holds a conversation for at least one window and less than two', () => {
    const { clock, recent } = withClock();
    clock.t = 999; // just before the first swap: the shortest life
    recent.seen('late');
    clock.t = 1000;
    recent.seen('early'); // just after it: the longest
    clock.t = 1998;
    expect(recent.has('late')).toBe(true);
    expect(recent.has('early')).toBe(true);
    clock.t = 2000;
    expect(recent.has('late')).toBe(false);
    expect(recent.has('early')).toBe(true);
    clock.t = 2999;
    expect(recent.has('early')).toBe(true);
    clock.t = 3000;
    expect(recent.has('early')).toBe(false);
  });

  it('forgets a conversation said to have ended at once', () => {
    const { clock, recent } = withClock();
    recent.seen('c1');
    recent.seen('c2');
    clock.t = 1500; // c1 and c2 now in the older set
    recent.seen('c2');
    recent.forget('c1');
    recent.forget('c2');
    expect(recent.has('c1')).toBe(false);
    expect(recent.has('c2')).toBe(false);
  });

  it('keeps nothing from before a long quiet spell', () => {
    const { clock, recent } = withClock();
    recent.seen('c1');
    clock.t = 2500; // two windows and more without a question
    expect(recent.has('c1')).toBe(false);
    recent.seen('c2');
    clock.t = 3600;
    expect(recent.has('c2')).toBe(true);
  });
});
