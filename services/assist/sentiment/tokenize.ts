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

function isBoundary(c: number): boolean {
  // end of text, space, newline, tab, or punctuation that ends a clause
  return Number.isNaN(c) || c === 32 || c === 10 || c === 9 || c === 33 || c === 46 || c === 44 || c === 63;
}

/**
 * Emoticons are few and fixed: `:)` `:-)` `:]` `=)` `:D` `;)` `:(` `:-(` `:'(` `:/` `:|` `:P`.
 * URLs are skipped before we get here, so `:/` no longer matches `https://`. A boundary is required
 * after the mouth so "ratio:(a)" noise is rare. Returns the canonical emoticon and its length.
 */
function emoticonAt(text: string, i: number): [string, number] | undefined {
  const c = text.charCodeAt(i);
  if (c !== 58 && c !== 59 && c !== 61) return undefined; // ':' ';' '='
  let j = i + 1;
  const d = text.charCodeAt(j);
  if (d === 45 || d === 39) j++; // '-' nose, or the tear of :'(
  const m = text.charCodeAt(j);
  if (!isBoundary(text.charCodeAt(j + 1))) return undefined;
  const len = j + 1 - i;
  if (m === 41 || m === 93) return [c === 59 ? ';)' : ':)', len];
  if (m === 40 || m === 91) return c === 59 ? undefined : [d === 39 ? ":'(" : ':(', len];
  if (m === 68 && c !== 59) return [':D', len];
  if (c === 58 && (m === 80 || m === 112)) return [':P', len];
  if (c === 58 && (m === 47 || m === 92)) return [':/', len];
  if (c === 58 && m === 124) return [':|', len];
  return undefined;
}

/** Skips an @mention, a URL or an e-mail-like run up to the next white space. */
function skipToSpace(text: string, i: number): number {
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 9 || c === 13) break;
    i++;
  }
  return i;
}

function startsUrl(text: string, i: number): boolean {
  const c = text.charCodeAt(i) | 32;
  if (c === 104) return text.startsWith('http://', i) || text.startsWith('https://', i);
  if (c === 119) return text.startsWith('www.', i);
  return false;
}

/** "soooo" → "soo", "!!!" aside: a run of three or more of one letter is shouting, not spelling. */
function collapseRuns(word: string): string {
  let out = '';
  let run = 0;
  for (let k = 0; k < word.length; k++) {
    run = k > 0 && word[k] === word[k - 1] ? run + 1 : 1;
    if (run <= 2) out += word[k];
  }
  return out;
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
      // Links carry no sentiment and their paths are noise ("…/fail-safe").
      if (startsUrl(text, i)) {
        i = skipToSpace(text, i);
        continue;
      }
      const start = i;
      let upper = 0;
      let lower = 0;
      let curly = false;
      let repeats = 0;
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
        if (i - start >= 2 && d === text.charCodeAt(i - 1) && d === text.charCodeAt(i - 2)) repeats++;
        i++;
      }
      if (text.charCodeAt(i) === 64) {
        // an e-mail address: its local part is a name, not a word
        i = skipToSpace(text, i);
        continue;
      }
      let word = text.slice(start, i);
      if (lower > 0 || upper > 0) word = word.toLowerCase();
      if (curly) word = word.replaceAll('\u2019', "'");
      if (repeats > 0 && lower + upper > 0) word = collapseRuns(word);
      push(out, word, WORD, upper >= 2 && lower === 0 ? 1 : 0);
      continue;
    }
    if (c === 64) {
      // An @mention names the company or a person; "@united" is not the adjective.
      i = skipToSpace(text, i);
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
    if (c === 58 || c === 59 || c === 61) {
      const emoticon = emoticonAt(text, i);
      if (emoticon !== undefined) {
        push(out, emoticon[0], EMOJI, 0);
        i += emoticon[1];
        continue;
      }
      if (c !== 61) pushBreak(out);
      i++;
      continue;
    }
    if (c === 60 && text.charCodeAt(i + 1) === 51) {
      push(out, '<3', EMOJI, 0); // a heart
      i += 2;
      continue;
    }
    if (c === 44 || c === 46 || c === 10) {
      pushBreak(out);
      i++;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      push(out, text.slice(i, i + 2), EMOJI, 0);
      i += 2;
      continue;
    }
    if ((c >= 0x2600 && c <= 0x27bf) || c === 0x2b50) {
      push(out, text[i] as string, EMOJI, 0);
      i++;
      continue;
    }
    i++;
  }
  return out;
}
