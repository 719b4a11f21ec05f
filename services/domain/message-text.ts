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

/** The first `max` characters of `text`: an emoji is never cut in half into a lone surrogate. */
export function clipCharacters(text: string, max: number): string {
  let end = 0;
  for (let n = 0; n < max && end < text.length; n++) end += text.codePointAt(end)! > 0xffff ? 2 : 1;
  return text.slice(0, end);
}

/** The refusal of a message over the limit, in the same words on every path. */
export function messageTooLongWords(count: number): string {
  return `A message may hold at most ${MAX_MESSAGE_CHARS.toLocaleString('en-US')} characters (got ${count.toLocaleString('en-US')})`;
}

// NUL, BEL, a terminal's escape sequences and the other C0 and C1 controls (all but tab, line feed
// and carriage return) show as nothing or as garbage, so they are removed rather than refused: a
// customer cannot see, so cannot take out, what a refusal would name, and a message that a channel
// such as Teams has already delivered to the bot cannot be refused at all. An escape sequence goes
// whole: ESC [ 31 m is one instruction to a terminal, not the text "[31m".
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /\u001b\[[0-?]*[ -/]*[@-~]|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/** `text` without control characters other than tab, line feed and carriage return. */
export function withoutControlCharacters(text: string): string {
  return text.replace(CONTROLS, '');
}

/**
 * Text as a message may be stored: at most `MAX_MESSAGE_CHARS` characters as sent (else 400
 * `message.too_long`), control characters removed, card numbers masked (card-numbers.ts).
 */
export function storableMessageText(text: string): string {
  const count = characterCount(text);
  if (count > MAX_MESSAGE_CHARS) throw new ValidationError('message.too_long', messageTooLongWords(count));
  return maskCardNumbers(withoutControlCharacters(text));
}

/**
 * What a person typed as a message, as it may be stored (`storableMessageText`); refused with
 * `message.empty` when, control characters removed, nothing in it would show.
 */
export function typedMessageText(typed: string): string {
  if (!hasVisibleText(withoutControlCharacters(typed))) {
    throw new ValidationError('message.empty', 'A message needs some text');
  }
  return storableMessageText(typed);
}
