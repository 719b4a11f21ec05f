// `npm run eval`: the NLP figures on the committed evaluation data. Sentiment is reported on held-out
// splits only: none of them trained the model or chose its settings (eval/data/README.md).
import { evaluateIntents } from './intent-eval.js';
import { evaluateKnowledgeSearch } from './knowledge-eval.js';
import { readJsonl, type IntensityPair, type IntentExample, type KbQuestion } from './load.js';
import { heldOutSplits } from './sentiment-data.js';
import { evaluateSentiment, type SentimentEvalRow } from './sentiment-eval.js';

const f2 = (x: number): string => x.toFixed(3);

const splits = heldOutSplits();
const pairs = readJsonl<IntensityPair>('intensity-pairs.jsonl');
const sentiment = evaluateSentiment(
  splits.map((s) => s.rows),
  pairs,
);
console.log('## Sentiment (three-way, held-out splits only)\n');
for (const s of splits) console.log(`- ${s.name}, n=${s.rows.length}: ${s.about}`);
console.log(
  `\n"intensity" = share of ${pairs.length} same-polarity pairs ordered right ("very slow" further from neutral than "slow").\n`,
);
const header = `| scorer | ${splits.map((s) => `${s.name} macro-F1 | accuracy`).join(' | ')} | intensity |`;
const rule = `| --- | ${splits.map(() => '---: | ---:').join(' | ')} | ---: |`;
const line = (r: SentimentEvalRow): string =>
  `| ${r.name} | ${r.splits.map((x) => `${f2(x.macroF1)} | ${f2(x.accuracy)}`).join(' | ')} | ${f2(r.intensity)} |`;
console.log(header);
console.log(rule);
for (const r of [...sentiment.baselines, sentiment.product]) console.log(line(r));
console.log('\n### Ablation: the learned model retrained without each part\n');
console.log(header);
console.log(rule);
for (const r of [sentiment.product, ...sentiment.learnedAblation]) console.log(line(r));
console.log('\n### Ablation: the rule pass alone, and without each rule\n');
console.log(header);
console.log(rule);
for (const r of sentiment.ruleAblation) console.log(line(r));

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
