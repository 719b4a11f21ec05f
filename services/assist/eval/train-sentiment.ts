// `npm run train:sentiment`: rebuilds the two generated files the scorer reads at start —
// sentiment/vader-words.json (VADER's words that AFINN lacks, from the vader-sentiment package) and
// sentiment/model.json (the learned model, trained on the tuning data only). Deterministic: run it
// again on the same data and the files do not change.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { afinnVocabulary } from '../sentiment/lexicon.js';
import { trainModel } from '../sentiment/model.js';
import { ALL_FEATURES } from '../sentiment/scorer.js';
import { trainingSet } from './sentiment-data.js';

const out = (file: string): string => fileURLToPath(new URL(`../sentiment/${file}`, import.meta.url));

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

if (process.argv[2] !== '--model-only') {
  // Nested under "words": a JSON module's top-level keys become export names, and VADER lists "eval".
  const file = {
    source:
      'VADER lexicon (Hutto & Gilbert 2014, MIT) via the vader-sentiment npm package; ×1.25 to AFINN scale',
    words: vaderWordsNotInAfinn(),
  };
  writeFileSync(out('vader-words.json'), `${JSON.stringify(file)}\n`);
}
const model = trainModel(trainingSet(), ALL_FEATURES);
writeFileSync(out('model.json'), `${JSON.stringify(model)}\n`);
console.error(`model.json: ${Object.keys(model.weights).length} weights`);
