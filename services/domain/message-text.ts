import { maskCardNumbers } from './card-numbers.js';
import { ValidationError } from './errors.js';
import { hasVisibleText } from './visible-text.js';

/** Longest message text from any side (customer, agent, bot), in characters as `characterCount` counts them. */
export const MAX_MESSAGE_CHARS = 4000;

/**
 * How many characters `text` holds: its Unicode code points. Not UTF-16 units, in which an emoji
 * counts twice, so the limit would depend on how JavaScript stores a string. Not graphemes
 * (`Intl.Segmenter`) either: what one is changes with the ICU of each runtime (the server's Node,
 * each browser), so a message could pass one and be refused by another, and a grapheme may carry any
 * number of combining marks, so 4,000 of them bound nothing. Code points are also what JSON Schema's
 * `maxLength` counts, so the OpenAPI document's limit says the same; a family emoji is 7 of them.
 */
export function characterCount(text: string): number {
  let surrogatePairs = 0;
  for (let i = 0; i < text.length - 1; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        surrogatePairs++;
        i++;
      }
    }
  }
  return text.length - surrogatePairs;
}

/** The refusal of a message over the limit, in the same words on every path. */
export function messageTooLongWords(count: number): string {
  return `A message may hold at most ${MAX_MESSAGE_CHARS.toLocaleString('en-US')} characters (got ${count.toLocaleString('en-US')})`;
}

/**
 * Text as a message may be stored: at most `MAX_MESSAGE_CHARS` characters (else 400
 * `message.too_long`), card numbers masked (card-numbers.ts).
 */
export function storableMessageText(text: string): string {
  const count = characterCount(text);
  if (count > MAX_MESSAGE_CHARS) throw new ValidationError('message.too_long', messageTooLongWords(count));
  return maskCardNumbers(text);
}

/**
 * What a person typed as a message, as it may be stored (`storableMessageText`); refused with
 * `message.empty` when nothing in it would show.
 */
export function typedMessageText(typed: string): string {
  if (!hasVisibleText(typed)) {
    throw new ValidationError('message.empty', 'A message needs some text');
  }
  return storableMessageText(typed);
}
