// One pass over the characters, writing into a buffer the caller reuses: the scorer runs on every
// customer message (and on whole files in the CLI), so a per-call array of token objects would be
// most of its cost. No regular expressions, so no backtracking on hostile input.

export const WORD = 0;
export const EMOJI = 1;
/** A clause boundary (, ; : . ! ?): negation does not reach across it. */
export const BREAK = 2;

export interface TokenBuffer {
  count: number;
  /** Lower-cased word, or the emoji / emoticon itself; '' for a break. */
  text: string[];
  kind: number[];
  /** 1 when the word was written in capitals (at least two letters, none lower-case). */
  caps: number[];
  exclamations: number;
  questions: number;
}

export function newTokenBuffer(): TokenBuffer {
  return { count: 0, text: [], kind: [], caps: [], exclamations: 0, questions: 0 };
}

function isLetterOrDigit(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 57) ||
    (c >= 0xc0 && c <= 0x24f && c !== 0xd7)
  );
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function push(out: TokenBuffer, text: string, kind: number, caps: number): void {
  const i = out.count++;
  out.text[i] = text;
  out.kind[i] = kind;
  out.caps[i] = caps;
}

function pushBreak(out: TokenBuffer): void {
  // Consecutive breaks carry no extra meaning; keep one.
  if (out.count > 0 && out.kind[out.count - 1] !== BREAK) push(out, '', BREAK, 0);
}

const APOSTROPHE = 39;
const CURLY_APOSTROPHE = 0x2019;

/** Emoticons are few and fixed; `:/` is left out because URLs (`https://`) would match it. */
function emoticonAt(text: string, i: number): string | undefined {
  const c = text.charCodeAt(i);
  if (c !== 58 && c !== 59) return undefined; // ':' ';'
  let j = i + 1;
  if (text.charCodeAt(j) === 45) j++; // '-'
  const m = text.charCodeAt(j);
  const after = text.charCodeAt(j + 1);
  // Require a boundary after so "(:D" inside words or "ratio:(a)" noise is rare.
  if (!(
    Number.isNaN(after) ||
    after === 32 ||
    after === 33 ||
    after === 46 ||
    after === 44 ||
    after === 10
  )) {
    return undefined;
  }
  if (m === 41) return c === 59 ? ';)' : ':)';
  if (m === 40 && c === 58) return ':(';
  if (m === 68 && c === 58) return ':D';
  return undefined;
}

export function tokenize(text: string, out: TokenBuffer): TokenBuffer {
  out.count = 0;
  out.exclamations = 0;
  out.questions = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isLetterOrDigit(c)) {
      const start = i;
      let upper = 0;
      let lower = 0;
      let curly = false;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d >= 65 && d <= 90) upper++;
        else if (d >= 97 && d <= 122) lower++;
        else if (isLetterOrDigit(d)) {
          // other letters and digits: part of the word, no case signal
        } else if (
          (d === APOSTROPHE || d === CURLY_APOSTROPHE || d === 45) &&
          i + 1 < n &&
          isLetterOrDigit(text.charCodeAt(i + 1)) &&
          isLetterOrDigit(text.charCodeAt(i - 1))
        ) {
          if (d === CURLY_APOSTROPHE) curly = true;
        } else if (d === 46 && isDigit(text.charCodeAt(i - 1)) && isDigit(text.charCodeAt(i + 1))) {
          // "2.4" stays one token
        } else break;
        i++;
      }
      let word = text.slice(start, i);
      if (lower > 0 || upper > 0) word = word.toLowerCase();
      if (curly) word = word.replaceAll('\u2019', "'");
      push(out, word, WORD, upper >= 2 && lower === 0 ? 1 : 0);
      continue;
    }
    if (c === 33) {
      out.exclamations++;
      pushBreak(out);
      i++;
      continue;
    }
    if (c === 63) {
      out.questions++;
      pushBreak(out);
      i++;
      continue;
    }
    if (c === 58 || c === 59) {
      const emoticon = emoticonAt(text, i);
      if (emoticon !== undefined) {
        push(out, emoticon, EMOJI, 0);
        i += text.charCodeAt(i + 1) === 45 ? 3 : 2;
        continue;
      }
      pushBreak(out);
      i++;
      continue;
    }
    if (c === 44 || c === 46) {
      pushBreak(out);
      i++;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      push(out, text.slice(i, i + 2), EMOJI, 0);
      i += 2;
      continue;
    }
    if (c >= 0x2600 && c <= 0x27bf) {
      push(out, text[i] as string, EMOJI, 0);
      i++;
      continue;
    }
    i++;
  }
  return out;
}
