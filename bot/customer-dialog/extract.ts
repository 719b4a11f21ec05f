/** Longest extract of an article the bot shows in chat before "Did that help?". */
export const EXTRACT_CHARS = 280;
/** Longest extract when the article's answer is a list of steps or cases after a short opening. */
export const LIST_EXTRACT_CHARS = 640;

/** An opening this short, followed by a list, only announces the list ("work through these steps"). */
const LEAD_IN_CHARS = 160;
const LIST_ITEM = /^(?:\d+[.)]|[-*\u2022])\s/;

/**
 * What of an article the bot shows in chat: its first paragraph, cut at a word boundary — unless that
 * paragraph only leads into a list, whose lines are the answer. A list too long for a bubble keeps
 * the items whose label shares most words with the customer's question (`query`), so a question
 * about a blinking red light shows the "Blinking red:" item; otherwise its first lines.
 */
export function makeExtract(
  body: string,
  { limit = EXTRACT_CHARS, query = '' }: { limit?: number; query?: string } = {},
): string {
  const paragraphs = body
    .split(/\n\s*\n/)
    .map(withoutHeadings)
    .filter(Boolean);
  const text = (paragraphs[0] ?? '').replace(/\s+/g, ' ');
  if (text.length > limit) return cutAtWord(text, limit);
  const lines = (paragraphs[1] ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (text.length > LEAD_IN_CHARS || !lines.length || !lines.every((l) => LIST_ITEM.test(l))) return text;
  const room = Math.max(limit, LIST_EXTRACT_CHARS) - text.length;
  let kept = takeWhileFits(lines, room);
  if (kept.length < lines.length) {
    const asked = new Set(significantWords(query));
    // Only an item's label ("Blinking red:") says which case it is; steps are kept from the first.
    const scores = lines.map((l) => {
      const label = /^[^:]{1,40}:/.exec(l.replace(LIST_ITEM, ''))?.[0] ?? '';
      return new Set(significantWords(label).filter((w) => asked.has(w))).size;
    });
    const best = Math.max(...scores);
    const closest = takeWhileFits(
      lines.filter((_, i) => best > 0 && scores[i] === best),
      room,
    );
    if (closest.length) kept = closest;
  }
  return [text, ...kept, ...(kept.length < lines.length ? ['…'] : [])].join('\n');
}

const ATX_HEADING = /^#{1,6}(?:\s|$)/;
const SETEXT_UNDERLINE = /^(?:=+|-+)$/;

/**
 * A paragraph without its markdown headings ("## Overview", or a line underlined with === or ---):
 * a heading names a section, it answers nothing, so the extract starts at the first real text.
 */
function withoutHeadings(paragraph: string): string {
  const lines = paragraph.split('\n').map((l) => l.trim());
  return lines
    .filter(
      (l, i) =>
        !ATX_HEADING.test(l) && !SETEXT_UNDERLINE.test(l) && !SETEXT_UNDERLINE.test(lines[i + 1] ?? ''),
    )
    .join('\n')
    .trim();
}

function cutAtWord(text: string, limit: number): string {
  const cut = text.slice(0, limit);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > limit / 2 ? cut.slice(0, lastSpace) : cut).replace(/[,;:.]$/, '')}…`;
}

/** The first lines that fit in `room` characters, each with its line break. */
function takeWhileFits(lines: string[], room: number): string[] {
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    used += line.length + 1;
    if (used > room) break;
    kept.push(line);
  }
  return kept;
}

const FILLER = new Set(
  'the and for you your has have had are was were not but with this that from can its any out get'.split(' '),
);

/** Lower-case words of three letters or more, without the commonest filler ("red" stays, "the" goes). */
function significantWords(text: string): string[] {
  return (text.toLowerCase().match(/[a-z]{3,}/g) ?? []).filter((w) => !FILLER.has(w));
}

// What a customer's own words give away for the pre-chat survey. Unsure means nothing: a name is
// only taken when it was clearly given, never guessed from the first word of a sentence.

const EMAIL_IN_TEXT = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;

/** An e-mail address written anywhere in a message ("it's dana@example.com, thanks"). */
export function emailIn(text: string): string | undefined {
  return EMAIL_IN_TEXT.exec(text)?.[0];
}

/** Words of sentences, requests and problems, never names ("I", "Hi", "Please", "Quiero", "router"). */
const NOT_NAMES = new Set(
  (
    'i im me my you your we our it its this that the a and or but not no yes ok okay hi hello hey ' +
    'good morning afternoon evening hola buenas buenos dias tardes please thanks thank want need have ' +
    'has had am is are was be does did could would should help agent human person someone somebody ' +
    'representative operator support customer service internet wifi billing problem issue question ' +
    'talk speak chat down slow broken working wrong what why how when where who which there here just ' +
    'still again now today since about with from for to of in on at by pay payment charge charged ' +
    'refund outage router modem account password connection quiero necesito tengo hablar con una un es ' +
    'ayuda persona agente humano problema factura cuenta pago servicio skip none anonymous'
  ).split(' '),
);

/**
 * Words of sentences that are given names too: "Will", "Bill", "An" and "Do" (Vietnamese), "La",
 * "Mi" and "Na" (Korean), "Can" and "Mine" (Turkish). Beside another name word they are names
 * ("Will Smith", "Nguyễn Văn An"); on their own only when written as one ("Bill", not "bill").
 */
const ALSO_NAMES = new Set('an will bill do can mine mi la na el si'.split(' '));

// A letter, then letters with their combining marks (Devanagari vowel signs, Thai tone marks, Hebrew
// points), joiners (Persian, Indic) and the apostrophes, dots and hyphens of "O'Brien", "Jean-Luc".
const NAME_WORD = /^\p{L}(?:[\p{L}\p{M}'’.\u00B7\u30FB-]|\u200C|\u200D)*$/u;
const TITLE_CASE = /^\p{Lu}[^\p{Lu}]*$/u;

/**
 * The words of a short answer, composed (NFC): a name typed with a separate accent ("e" + U+0301) or
 * vowel points reads as the same name typed precomposed.
 */
function wordsOf(text: string): string[] {
  return text
    .normalize('NFC')
    .trim()
    .replace(/[!.,]+$/, '')
    .split(/\s+/)
    .filter(Boolean);
}

/**
 * Whether a short answer reads as a person's name, in any script: one to four words of letters and
 * their marks, none of them a word of a sentence, at least one longer than an initial. "Dana",
 * "José García", "O'Brien", "अनन्या शर्मा", "Nguyễn Văn An", "Will Smith".
 */
export function looksLikeName(text: string): boolean {
  const words = wordsOf(text);
  if (words.length === 0 || words.length > 4) return false;
  if (!words.every(isNameWord)) return false;
  const alsoWords = words.every((w) => ALSO_NAMES.has(folded(w)));
  if (alsoWords && !words.every((w) => TITLE_CASE.test(w))) return false;
  return words.some((w) => [...w.replace(/[.'’-]/g, '')].length >= 2);
}

function folded(word: string): string {
  return word.toLowerCase().replace(/[.’']/g, '');
}

function isNameWord(word: string): boolean {
  return NAME_WORD.test(word) && !NOT_NAMES.has(folded(word));
}

/** The name a short answer gives, composed (NFC), or nothing when it does not read as one. */
export function nameIn(text: string): string | undefined {
  return looksLikeName(text) ? text.normalize('NFC').trim() : undefined;
}

/** A name the customer states outright: "my name is Dana", "this is Lee Park", "me llamo Ana". */
export function statedName(text: string): string | undefined {
  const m =
    /\b(?:my name is|my name's|name is|this is|call me|me llamo|mi nombre es|soy)\s+(\p{L}[\p{L}\p{M}'’.-]*(?:\s+\p{L}[\p{L}\p{M}'’.-]*){0,2})/iu.exec(
      text.normalize('NFC'),
    );
  if (!m?.[1]) return undefined;
  // Keep the words that read as a name ("Dana and I need help" → "Dana").
  const words: string[] = [];
  for (const w of m[1].split(/\s+/)) {
    if (!isNameWord(w)) break;
    words.push(w);
  }
  const name = words.join(' ');
  // "this is terrible", "soy cliente": only a capitalised word after these is a name.
  const loose = /^(this is|soy)\b/i.test(m[0]);
  return name && looksLikeName(name) && (!loose || /^\p{Lu}/u.test(name)) ? name : undefined;
}

/** The given name to thank someone by, only from a name they gave. */
export function firstName(name: string | undefined): string | undefined {
  if (!name || !looksLikeName(name)) return undefined;
  return wordsOf(name)[0];
}
