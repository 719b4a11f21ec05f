/** Longest extract of an article the bot shows in chat before "Did that help?". */
export const EXTRACT_CHARS = 280;

/** The article's first paragraph, cut at a word boundary: enough to answer, short enough for a chat bubble. */
export function makeExtract(body: string, limit = EXTRACT_CHARS): string {
  const first = body.split(/\n\s*\n/).find((p) => p.trim()) ?? '';
  const text = first.replace(/\s+/g, ' ').trim();
  if (text.length <= limit) return text;
  const cut = text.slice(0, limit);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > limit / 2 ? cut.slice(0, lastSpace) : cut).replace(/[,;:.]$/, '')}…`;
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
