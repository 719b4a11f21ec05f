import { describe, expect, it } from 'vitest';
import { findLoneSurrogate, loneSurrogateWords } from './well-formed.js';

describe('findLoneSurrogate', () => {
  it('finds none in well-formed text, emoji pairs included', () => {
    expect(findLoneSurrogate({ text: 'hi 😀', from: { name: 'Zoë' }, list: ['a', 1, null] })).toBeUndefined();
  });

  it('names where the first one is, from the outside in, and the character', () => {
    const found = findLoneSurrogate({ text: 'ok', value: { items: ['fine', 'bad \ud800'] } });
    expect(found).toEqual({ path: ['value', 'items', '1'], at: 5, unit: 'd800' });
    expect(loneSurrogateWords(found!)).toBe(
      'holds an unpaired surrogate (\\ud800 at character 5), which is not text: send well-formed Unicode',
    );
    expect(findLoneSurrogate('\udc00')).toEqual({ path: [], at: 1, unit: 'dc00' });
  });
});
