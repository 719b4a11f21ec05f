import { describe, expect, it } from 'vitest';
import { bindReply, ENDED_RECENTLY_MS, endedRecently } from './reply-binding.js';

const now = new Date('2026-12-07T15:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
const open = (key: string) => ({ key, active: true });
const ended = (key: string, endedAt: Date) => ({ key, active: false, endedAt });

describe('which consult a consultant’s Teams message answers', () => {
  it('is the one open in the chat, else none is chosen among several', () => {
    expect(bindReply([open('a')], null)).toEqual({ kind: 'relay', consult: open('a') });
    expect(bindReply([open('a'), open('b')], null)).toMatchObject({ kind: 'ambiguous' });
  });

  it('is the ended consult a reply answers, or the one that ended last when none is open', () => {
    const last = ended('a', ago(60_000));
    expect(bindReply([], last)).toEqual({ kind: 'ended', consult: last, replied: true });
    expect(bindReply([], null, last)).toEqual({ kind: 'ended', consult: last, replied: false });
    // An open consult is what a plain message is for.
    expect(bindReply([open('b')], null, last)).toEqual({ kind: 'relay', consult: open('b') });
    expect(bindReply([], null, null)).toEqual({ kind: 'none' });
  });

  it('takes a consult for recently ended the rest of that working day, not later', () => {
    expect(endedRecently(ended('a', ago(60_000)), now)).toBe(true);
    expect(endedRecently(ended('a', ago(ENDED_RECENTLY_MS - 1)), now)).toBe(true);
    expect(endedRecently(ended('a', ago(ENDED_RECENTLY_MS)), now)).toBe(false);
    expect(endedRecently(open('a'), now)).toBe(false);
  });
});
