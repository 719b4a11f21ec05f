// VADER's words that AFINN lacks, for sentiment/vader-words.json (written by `npm run train:sentiment`).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afinnVocabulary } from '../sentiment/lexicon.js';

/**
 * VADER entries that read wrongly in a support message: "credit" (an account credit), "value",
 * "security", "special", "sure", "well", "ok", and acronyms that collide with words ("hand" = "have
 * a nice day", "l").
 */
const VADER_LEFT_OUT = new Set([
  'l',
  'hand',
  'ok',
  'well',
  'credit',
  'credits',
  'credited',
  'crediting',
  'creditor',
  'value',
  'values',
  'valued',
  'security',
  'special',
  'sure',
  'surely',
  'certainly',
  'create',
  'created',
  'creates',
  'creating',
  'treat',
  'truly',
  'casual',
  'casually',
  'amazon',
  'sharing',
  'seriously',
  'serious',
]);

/** VADER rates −4…4 and AFINN −5…5; single words only (its emoticons are handled by the tokenizer). */
export function vaderWordsNotInAfinn(): Record<string, number> {
  const path = createRequire(import.meta.url).resolve('vader-sentiment/vader_lexicon.txt');
  const afinn = afinnVocabulary();
  const words: Record<string, number> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const [word, value] = line.split('\t');
    if (
      word === undefined ||
      value === undefined ||
      !/^[a-z][a-z']*$/u.test(word) ||
      word in afinn ||
      VADER_LEFT_OUT.has(word)
    )
      continue;
    words[word] = Math.round(Number(value) * 1.25 * 10) / 10;
  }
  return words;
}
