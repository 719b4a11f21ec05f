// `npm run train:sentiment`: rebuilds the two generated files the scorer reads at start —
// sentiment/vader-words.json (VADER's words that AFINN lacks, from the vader-sentiment package) and
// sentiment/model.json (the learned model, trained on the tuning data only). Deterministic: run it
// again on the same data and the files do not change.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { trainModel } from '../sentiment/model.js';
import { ALL_FEATURES } from '../sentiment/scorer.js';
import { trainingSet } from './sentiment-data.js';
import { vaderWordsNotInAfinn } from './vader-words.js';

const out = (file: string): string => fileURLToPath(new URL(`../sentiment/${file}`, import.meta.url));

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
