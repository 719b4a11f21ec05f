import { describe, expect, it } from 'vitest';
import { BREAK, EMOJI, newTokenBuffer, tokenize } from './tokenize.js';

function tokens(text: string): string[] {
  const buf = tokenize(text, newTokenBuffer());
  return buf.text.slice(0, buf.count).map((t, i) => (buf.kind[i] === BREAK ? '|' : t));
}

describe('tokenizer for public messages', () => {
  it('drops @mentions, links and e-mail addresses, which name things rather than feel', () => {
    expect(tokens('@SkyLinkAir my bag https://t.co/x1:/y is lost, mail me at a.person@example.com')).toEqual([
      'my',
      'bag',
      'is',
      'lost',
      '|',
      'mail',
      'me',
      'at',
      'a',
      '|',
    ]);
  });

  it('keeps the word of a #hashtag', () => {
    expect(tokens('#fail again')).toEqual(['fail', 'again']);
  });

  it('shortens stretched words to two letters and keeps their capitals', () => {
    const buf = tokenize('soooo GOOOOD', newTokenBuffer());
    expect(buf.text.slice(0, buf.count)).toEqual(['soo', 'good']);
    expect(buf.caps.slice(0, buf.count)).toEqual([0, 1]);
  });

  it('reads emoticons in their common spellings', () => {
    const buf = tokenize("ok :-) :( :'( =) :/ <3 :P", newTokenBuffer());
    const emoji = buf.text.slice(0, buf.count).filter((_, i) => buf.kind[i] === EMOJI);
    expect(emoji).toEqual([':)', ':(', ":'(", ':)', ':/', '<3', ':P']);
  });
});
