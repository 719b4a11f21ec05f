/**
 * What the message box may hold and send (pure). The channel counts a message in code points
 * (Unicode scalar values), not in the UTF-16 units a textarea's `maxlength` counts, so an emoji
 * costs one place, not two; and a cut keeps whole graphemes, because half an emoji or a letter
 * without its accent is a different character, not a shorter message.
 */

/** The most a message may hold: the channel refuses more (`MAX_TEXT_CHARS`, bot/directline/schemas.ts). */
export const MAX_MESSAGE_CODE_POINTS = 4000;

// As the server's rule (services/domain/visible-text.ts): zero-width spaces and joiners, the
// byte-order mark, bidi controls and Hangul fillers show nothing, as whitespace shows nothing, so
// a message of only those is as empty as one of spaces, and the server refuses it.
const INVISIBLE = /^[\p{White_Space}\p{Default_Ignorable_Code_Point}]*$/u;

/** Whether `text` holds anything a reader would see. */
export function hasVisibleText(text: string): boolean {
  return !INVISIBLE.test(text);
}

export function codePointCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

export interface Fitted {
  text: string;
  /** Where the caret goes: after what was kept of the edit. */
  caret: number;
  /** Whether some of the edit was left out, or refused whole. */
  cut: boolean;
}

/**
 * Fits an edit that turned `before` into `after` within `max` code points: what the edit put in is
 * kept up to the last grapheme boundary that fits, the text around it untouched (all of it refused
 * when not one grapheme fits). When `before` itself did not fit, `after` is cut from its end.
 */
export function fitEdit(before: string, after: string, max = MAX_MESSAGE_CODE_POINTS): Fitted {
  if (codePointCount(after) <= max) return { text: after, caret: after.length, cut: false };
  let [start, end] = editedRange(before, after);
  if (codePointCount(after.slice(0, start)) + codePointCount(after.slice(end)) > max)
    [start, end] = [0, after.length];
  const tail = after.slice(end);
  const budget = max - codePointCount(after.slice(0, start)) - codePointCount(tail);
  let keep = start;
  let used = 0;
  // Boundaries of the whole text: a grapheme that began before the edit (an accent typed after
  // its letter) is kept only whole.
  for (const boundary of graphemeEnds(after)) {
    if (boundary <= start) continue;
    if (boundary > end) break;
    used += codePointCount(after.slice(keep, boundary));
    if (used > budget) break;
    keep = boundary;
  }
  return { text: after.slice(0, keep) + tail, caret: keep, cut: true };
}

/** The part of `after` an edit of `before` put in, `[start, end)`, on code point boundaries. */
function editedRange(before: string, after: string): [number, number] {
  const most = Math.min(before.length, after.length);
  let start = 0;
  while (start < most && before[start] === after[start]) start++;
  let fromEnd = 0;
  while (fromEnd < most - start && before.at(-1 - fromEnd) === after.at(-1 - fromEnd)) fromEnd++;
  let end = after.length - fromEnd;
  // Never between the two halves of a surrogate pair: a lone half is no character at all.
  if (start > 0 && isHighSurrogate(after.charCodeAt(start - 1))) start--;
  if (end < after.length && isLowSurrogate(after.charCodeAt(end))) end++;
  return [start, end];
}

function* graphemeEnds(text: string): Generator<number> {
  if (typeof Intl.Segmenter === 'function') {
    for (const { index, segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text))
      yield index + segment.length;
    return;
  }
  // Without a segmenter (an old browser), code points: never half a character, if maybe half an emoji.
  let at = 0;
  for (const ch of text) yield (at += ch.length);
}

const isHighSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLowSurrogate = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;
