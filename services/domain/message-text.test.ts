import { describe, expect, it } from 'vitest';
import {
  characterCount,
  clipCharacters,
  MAX_MESSAGE_CHARS,
  storableMessageText,
  typedMessageText,
  withoutControlCharacters,
} from './message-text.js';

describe('message text', () => {
  it('counts code points: an emoji is one, a lone surrogate one, a skin-toned coder four', () => {
    expect(characterCount('')).toBe(0);
    expect(characterCount('😀')).toBe(1);
    expect(characterCount('\ud83d')).toBe(1);
    expect(characterCount('👩🏽‍💻')).toBe(4);
    expect(characterCount('e\u0301')).toBe(2);
  });

  it('clips to characters, never between the halves of an emoji', () => {
    expect(clipCharacters('ab😀c', 3)).toBe('ab😀');
    expect(clipCharacters('ab😀c', 2)).toBe('ab');
    expect(clipCharacters('ab', 5)).toBe('ab');
  });

  it('takes the limit in characters and refuses one more, naming the count', () => {
    const atLimit = 'a'.repeat(MAX_MESSAGE_CHARS - 1) + '😀';
    expect(storableMessageText(atLimit)).toBe(atLimit);
    expect(() => storableMessageText(`${atLimit}😀`)).toThrow(
      expect.objectContaining({
        code: 'message.too_long',
        message: 'A message may hold at most 4,000 characters (got 4,001)',
      }),
    );
  });

  it('removes control characters, escape sequences whole, and keeps tab and line breaks', () => {
    expect(withoutControlCharacters('a\u0000b\u0007c\u001b[31md\u001b[0m\u007f\u0085\u009b')).toBe('abcd');
    expect(withoutControlCharacters('one\ttwo\r\nthree\n')).toBe('one\ttwo\r\nthree\n');
    // Joined by the removal, a card number is still masked.
    expect(storableMessageText('card 4111\u00001111 1111 1111')).toBe('card •••••••• •••• 1111');
  });

  it('finds a typed message of only control or invisible characters empty', () => {
    for (const typed of ['\u0007\u001b[2J', '\u200b\u3164', '\u202e\u2066']) {
      expect(() => typedMessageText(typed)).toThrow(expect.objectContaining({ code: 'message.empty' }));
    }
    expect(typedMessageText('\u0007hi')).toBe('hi');
  });
});
