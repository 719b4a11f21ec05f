// `npm run eval`: the NLP figures of the local-NLP issue, on the committed evaluation data. The
// sentiment tuning half is shown for reference; the held-out columns are the ones to quote.
import { evaluateIntents } from './intent-eval.js';
import { evaluateKnowledgeSearch } from './knowledge-eval.js';
import {
  readJsonl,
  type IntensityPair,
  type IntentExample,
  type KbQuestion,
  type SentimentExample,
} from './load.js';
import { evaluateSentiment } from './sentiment-eval.js';

const f2 = (x: number): string => x.toFixed(3);

const tuning = readJsonl<SentimentExample>('sentiment-tuning.jsonl');
const heldOut = readJsonl<SentimentExample>('sentiment-heldout.jsonl');
const pairs = readJsonl<IntensityPair>('intensity-pairs.jsonl');
console.log(`## Sentiment (three-way; tuning n=${tuning.length}, held-out n=${heldOut.length})\n`);
console.log(
  `"intensity" = share of ${pairs.length} same-polarity pairs ordered right ("very slow" further from neutral than`,
);
console.log('"slow"): three-way labels cannot show what intensifiers, capitals and "!!!" add.\n');
console.log(
  '| scorer | held-out accuracy | held-out macro-F1 | tuning accuracy | tuning macro-F1 | intensity |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const r of evaluateSentiment(tuning, heldOut, pairs)) {
  console.log(
    `| ${r.name} | ${f2(r.heldOut.accuracy)} | ${f2(r.heldOut.macroF1)} | ${f2(r.tuning.accuracy)} | ${f2(r.tuning.macroF1)} | ${f2(r.intensity ?? 0)} |`,
  );
}

const kb = evaluateKnowledgeSearch(readJsonl<KbQuestion>('kb-questions.jsonl'));
console.log(`\n## Knowledge search (n=${kb.n} customer questions)\n`);
console.log(`| MRR | recall@${kb.k} |\n| ---: | ---: |\n| ${f2(kb.mrr)} | ${f2(kb.recallAtK)} |`);
if (kb.misses.length) console.log(`\nNot ranked first:\n${kb.misses.map((m) => `- ${m}`).join('\n')}`);

const intents = evaluateIntents(readJsonl<IntentExample>('intents-heldout.jsonl'));
console.log(`\n## Intents (held-out n=${intents.n}, none in training)\n`);
console.log(
  `| accuracy | answered unsure |\n| ---: | ---: |\n| ${f2(intents.accuracy)} | ${intents.unsure} |`,
);
if (intents.misses.length) console.log(`\nMisses:\n${intents.misses.map((m) => `- ${m}`).join('\n')}`);
