import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import stopwords from 'natural/lib/natural/util/stopwords.js';

// How text becomes index terms, shared by the article index and smart assist's case index so a
// query matches both the same way.

const STOPWORDS: ReadonlySet<string> = new Set([
  ...stopwords.words,
  // Chat filler that carries no topic.
  'hi',
  'hello',
  'hey',
  'please',
  'thanks',
  'thank',
  'want',
  'need',
  'help',
  'know',
  'tell',
  'like',
  'would',
  'could',
  'im',
  "i'm",
  'ive',
  "i've",
  'dont',
  "don't",
  'really',
  'just',
  'still',
  'keeps',
  'keep',
  'way',
  'right',
  'now',
  'today',
  'anyone',
  'someone',
  'getting',
  'only',
  // Asking for a person says nothing of the topic: "talk to a person" matched articles on "talk"
  // (fuzzily) and "agent" (in "an agent can remove it"), so smart assist suggested them.
  'talk',
  'speak',
  'speaking',
  'person',
  'human',
  'agent',
  'representative',
  'rep',
  'operator',
  'somebody',
  'real',
  // Agreeing, apologising, declining and taking leave say nothing of the topic either: "never mind,
  // I found it. bye" had smart assist offer the billing article for "mind", "no that is all" matched
  // articles on "no".
  'ok',
  'okay',
  'yes',
  'yeah',
  'yep',
  'sure',
  'great',
  'perfect',
  'cool',
  'awesome',
  'sorry',
  'mind',
  'nevermind',
  'found',
  'bye',
  'goodbye',
  'cheers',
  'no',
  'not',
  'lot',
  // How often and since when, and chat about the chat: "the third time this week" offered the
  // parental-controls article (screen time) beside the outage one; "my bill looks wrong" and "I left
  // a message" matched on "looks", "left" and "message". A topic's own words stay ("screen").
  'time',
  'times',
  'week',
  'looks',
  'left',
  'message',
]);

/** Words customers use for the same thing as the articles; applied to queries only. */
const SYNONYMS: Readonly<Record<string, string>> = {
  modem: 'router',
  reboot: 'restart',
  invoice: 'bill',
  statement: 'bill',
  wireless: 'wifi',
  internet: 'internet',
  booster: 'extender',
  repeater: 'extender',
  technician: 'technician',
  tech: 'technician',
  moving: 'move',
  relocate: 'move',
  money: 'refund',
  slow: 'slow',
  laggy: 'slow',
  lag: 'slow',
  terminate: 'cancel',
  quit: 'cancel',
  kids: 'children',
  child: 'children',
  freezing: 'buffering',
  freezes: 'buffering',
};

/**
 * Joins spellings a default tokenizer would split ("wi-fi", "e-mail") before splitting on non-letters.
 * Web addresses go first: "https://192.168.1.1" is no topic, and its pieces matched articles.
 */
export function tokenizeForSearch(text: string): string[] {
  const normalized = text
    .toLowerCase()
    .replace(/\b(?:https?:\/\/|www\.)\S+/gu, ' ')
    .replaceAll('wi-fi', 'wifi')
    .replaceAll('e-mail', 'email')
    .replaceAll('\u2019', "'");
  return normalized.split(/[^a-z0-9']+/u).filter((t) => t !== '');
}

function clean(term: string): string | null {
  const t = term.replace(/'s$/u, '').replaceAll("'", '');
  return t.length < 2 || STOPWORDS.has(term) || STOPWORDS.has(t) ? null : t;
}

/**
 * Index-time term processing: stop words out, the Porter stem, and the word itself when it differs,
 * because typos sit closer to the whole word ("equipmnt" is one edit from "equipment", three from
 * its stem "equip").
 */
export function indexTerm(term: string): string[] | null {
  const t = clean(term);
  if (t === null) return null;
  const stem = PorterStemmer.stem(t);
  return stem === t ? [stem] : [stem, t];
}

/** Query-time term processing: like `indexTerm`, plus the article vocabulary's synonym. */
export function queryTerms(term: string): string[] | null {
  const terms = indexTerm(term);
  if (terms === null) return null;
  const synonym = SYNONYMS[term];
  if (synonym !== undefined && synonym !== term) terms.push(PorterStemmer.stem(synonym));
  return terms;
}
