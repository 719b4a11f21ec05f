import { describe, expect, it } from 'vitest';
import { mergeMessages } from './merge-messages.js';
import type { Message } from './types.js';

const message = (seq: number, at = `2026-12-05T15:00:${String(seq % 60).padStart(2, '0')}Z`): Message =>
  ({ id: `m${seq}`, seq, from: 'customer', text: `${seq}`, visibility: 'public', at }) as Message;
const seqs = (ms: readonly Message[]) => ms.map((m) => m.seq);

describe('merging messages into a transcript', () => {
  it('appends a live message and the next page after the rest', () => {
    const page = [1, 2, 3].map((s) => message(s));
    expect(seqs(mergeMessages(page, [message(4)]))).toEqual([1, 2, 3, 4]);
    expect(seqs(mergeMessages(page, [message(4), message(5)]))).toEqual([1, 2, 3, 4, 5]);
    expect(seqs(mergeMessages([], page))).toEqual([1, 2, 3]);
  });

  it('answers the same transcript when nothing is new: the echo of a message sent here', () => {
    const shown = [1, 2, 3].map((s) => message(s));
    expect(mergeMessages(shown, [message(3)])).toBe(shown);
    expect(mergeMessages(shown, [message(2), message(3)])).toBe(shown);
    expect(mergeMessages(shown, [])).toBe(shown);
  });

  it('sorts in, once each, what came out of order or twice', () => {
    const shown = [1, 2, 5].map((s) => message(s));
    expect(seqs(mergeMessages(shown, [message(4), message(3), message(4), message(5)]))).toEqual([
      1, 2, 3, 4, 5,
    ]);
    expect(seqs(mergeMessages([message(1)], [message(2), message(2)]))).toEqual([1, 2]);
  });
});
