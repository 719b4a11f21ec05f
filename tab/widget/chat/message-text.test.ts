import { describe, expect, it } from 'vitest';
import { codePointCount, fitEdit, hasVisibleText, MAX_MESSAGE_CODE_POINTS } from './message-text.js';

const a = (n: number) => 'a'.repeat(n);
const CODER = '👩🏽‍💻'; // woman, skin tone, zero-width joiner, laptop: 4 code points, 7 UTF-16 units

describe('the message limit, in code points and whole graphemes', () => {
  it('counts code points, as the channel does', () => {
    expect(MAX_MESSAGE_CODE_POINTS).toBe(4000);
    expect(codePointCount('😀')).toBe(1);
    expect(codePointCount(CODER)).toBe(4);
    expect(codePointCount('e\u0301')).toBe(2);
  });

  it('takes an edit that fits, emoji and all', () => {
    expect(fitEdit(a(3999), a(3999) + '😀')).toEqual({ text: a(3999) + '😀', caret: 4001, cut: false });
    expect(fitEdit(a(3996), a(3996) + CODER).text).toBe(a(3996) + CODER);
    expect(fitEdit('', '😀'.repeat(2100)).cut).toBe(false);
  });

  it('refuses a grapheme that does not fit whole, rather than keep a part of it', () => {
    expect(fitEdit(a(3997), a(3997) + CODER)).toEqual({ text: a(3997), caret: 3997, cut: true });
    expect(fitEdit(a(3999), a(3999) + 'e\u0301')).toEqual({ text: a(3999), caret: 3999, cut: true });
    // An accent typed after a letter already at the limit: the letter stays bare, as typed.
    expect(fitEdit(a(3999) + 'e', a(3999) + 'e\u0301').text).toBe(a(3999) + 'e');
    expect(fitEdit(a(4000), a(4000) + 'x')).toEqual({ text: a(4000), caret: 4000, cut: true });
  });

  it('keeps as much of a paste as fits, where it was pasted, and the text after it', () => {
    const pasted = fitEdit('hello world', 'hello ' + '😀'.repeat(5000) + 'world');
    expect(pasted.text).toBe('hello ' + '😀'.repeat(3989) + 'world');
    expect(codePointCount(pasted.text)).toBe(4000);
    expect(pasted.caret).toBe(6 + 2 * 3989);
    expect(pasted.cut).toBe(true);
    // Replacing a selection: what it replaced stays gone.
    expect(fitEdit(a(10) + 'OLD' + a(10), a(10) + 'x'.repeat(5000) + a(10)).text).toBe(
      a(10) + 'x'.repeat(3980) + a(10),
    );
  });

  it('never leaves half of a surrogate pair, even when the edit began inside one', () => {
    const fitted = fitEdit(a(3999) + '😀', a(3999) + '😁😁');
    expect(fitted.text).toBe(a(3999) + '😁');
    // In u mode a surrogate matches only alone, never as half of a pair.
    expect(fitted.text).not.toMatch(/[\uD800-\uDFFF]/u);
  });

  it('cuts from the end a text that was already too long', () => {
    const fitted = fitEdit(a(5000), a(5000) + 'b');
    expect(fitted).toEqual({ text: a(4000), caret: 4000, cut: true });
    expect(fitEdit('', a(3998) + CODER).text).toBe(a(3998));
  });
});

describe('text that shows nothing', () => {
  it('is no message: whitespace, zero-width characters, the BOM, Hangul fillers, bidi controls', () => {
    for (const text of [
      '',
      '  \n\t',
      '\u200B\u200C\u200D\uFEFF',
      '\u3164',
      '\u115F\u1160\uFFA0',
      '\u202E\u2066\u200E\u061C',
      '\u00AD\u2060',
    ])
      expect(hasVisibleText(text), JSON.stringify(text)).toBe(false);
  });

  it('is any visible character, however small', () => {
    for (const text of ['.', '\u200Bhi', '😀', 'e\u0301', 'שלום', '\u202Eabc'])
      expect(hasVisibleText(text)).toBe(true);
  });
});
