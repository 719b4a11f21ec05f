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
    .map((p) => p.trim())
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

/** Words that start sentences or requests, never names ("I", "Hi", "Please", "Quiero"). */
const NOT_NAMES = new Set(
  (
    'i im me my mine you your we our it its this that the a an and or but not no yes ok okay hi hello hey ' +
    'hola buenas please thanks thank want need have has had am is are was be do does did can could would ' +
    'will should help agent human person someone somebody representative operator support customer ' +
    'service internet wifi bill billing problem issue question talk speak chat down slow broken working ' +
    'what why how when where who which there here just still again now today since about with from for ' +
    'to of in on at by my quiero necesito tengo hablar con una un el la mi es no si ayuda persona agente ' +
    'humano problema skip none anonymous n/a na'
  ).split(' '),
);

const NAME_WORD = /^\p{Lu}?[\p{L}][\p{L}'’.-]*$/u;

/**
 * Whether a short answer reads as a person's name: one to four words of letters, none of them a
 * common word of a sentence, at least one longer than an initial. "Dana", "José García", "O'Brien".
 */
export function looksLikeName(text: string): boolean {
  const words = text
    .trim()
    .replace(/[!.,]+$/, '')
    .split(/\s+/)
    .filter(Boolean);
  if (words.length === 0 || words.length > 4) return false;
  if (!words.every((w) => NAME_WORD.test(w))) return false;
  if (words.some((w) => NOT_NAMES.has(w.toLowerCase().replace(/[.’']/g, '')))) return false;
  return words.some((w) => w.replace(/[.'’-]/g, '').length >= 2);
}

/** A name the customer states outright: "my name is Dana", "this is Lee Park", "me llamo Ana". */
export function statedName(text: string): string | undefined {
  const m =
    /\b(?:my name is|my name's|name is|this is|call me|me llamo|mi nombre es|soy)\s+([\p{L}'’.-]+(?:\s+[\p{L}'’.-]+){0,2})/iu.exec(
      text,
    );
  if (!m?.[1]) return undefined;
  // Keep the words that read as a name ("Dana and I need help" → "Dana").
  const words: string[] = [];
  for (const w of m[1].split(/\s+/)) {
    if (!looksLikeName(w)) break;
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
  return name.trim().split(/\s+/)[0];
}
