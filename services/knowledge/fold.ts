// How two spellings of one word are made equal before they are compared: the same word typed on
// another keyboard, pasted from another system or written without its accents. Shared by knowledge
// search and the privacy tool's name search, so "cafe" finds "café" wherever a person looks.

/**
 * Accents and points that change how a letter sounds, not which letter it is: the combining
 * diacritical blocks (Latin, Greek, Cyrillic accents, Vietnamese tones), Hebrew points and Arabic
 * vowel marks. The vowel signs of Indic scripts, Thai and the kana's voicing marks are not here:
 * without them the word is another word.
 */
const ACCENTS =
  // The class is of lone combining marks, as ranges: nothing in it combines with a letter.
  // eslint-disable-next-line no-misleading-character-class
  /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u0591-\u05c7\u064b-\u065f\u0670]/gu;

/** Letters that carry their accent in the letter itself, so no decomposition takes it off. */
const LETTERS: Readonly<Record<string, string>> = {
  ı: 'i', // Turkish dotless i; the dotted capital İ decomposes to I + a dot, which ACCENTS takes.
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  þ: 'th',
  ς: 'σ',
};
const LETTER = new RegExp(`[${Object.keys(LETTERS).join('')}]`, 'gu');

/**
 * Lower case without accents, compatibility forms unified (full-width "ＷｉＦｉ" is "wifi", "ﬁ" is
 * "fi"), composed again so that what remains (Hangul, kana with their voicing) compares as typed.
 */
export function foldForMatching(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(ACCENTS, '')
    .replace(LETTER, (c) => LETTERS[c] as string)
    .normalize('NFC');
}
