// Local NLP hot paths: sentiment on every customer message, knowledge search on every /kb and every
// smart-assist refresh. Each figure sits beside baselines measured in the same run: the raw natural
// AFINN analyzer and VADER (what we improved on), the rule pass alone (what the learned model adds to)
// and a bare tokenise-only loop (the floor any scorer pays).
// Run alone: `npx tsx bench/nlp.bench.ts`; `npm run bench` collects `run()`.
import { pathToFileURL } from 'node:url';
import MiniSearch from 'minisearch';
import { createAfinnBaseline } from '../services/assist/eval/baseline-afinn.js';
import { createVaderBaseline } from '../services/assist/eval/baseline-vader.js';
import { readJsonl, type KbQuestion, type SentimentExample } from '../services/assist/eval/load.js';
import {
  createSentimentScorer,
  createSmartAssist,
  scoreSentiment,
  trainIntentClassifier,
} from '../services/assist/index.js';
import { intentFeatures } from '../services/assist/intents/intent-classifier.js';
import { newTokenBuffer, tokenize } from '../services/assist/sentiment/tokenize.js';
import { knowledgeArticles } from '../services/demo/knowledge-articles.js';
import { createKnowledgeIndex, queryTerms, tokenizeForSearch } from '../services/knowledge/index.js';
import { formatTable, type BenchRow } from './bench-row.js';

const MEASURE_MS = 600;

/** Operations per second of `op(i)`, after a warm-up, timed over whole batches for at least MEASURE_MS. */
function opsPerSec(op: (i: number) => unknown, batch = 1000): number {
  let sink = 0;
  const touch = (x: unknown): void => {
    if (x === undefined) sink++;
  };
  for (let i = 0; i < batch * 3; i++) touch(op(i));
  let n = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < MEASURE_MS) {
    for (let i = 0; i < batch; i++) touch(op(n + i));
    n += batch;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  if (sink < 0) console.error(sink); // keeps the results observable to the optimiser
  return (n / elapsed) * 1000;
}

function row(
  name: string,
  ops: number,
  baseline: { name: string; opsPerSec: number },
  notes?: string,
): BenchRow {
  return { name, opsPerSec: ops, baseline, ratio: ops / baseline.opsPerSec, ...(notes ? { notes } : {}) };
}

export async function run(): Promise<BenchRow[]> {
  const messages = [
    ...readJsonl<SentimentExample>('social-tuning.jsonl'),
    ...readJsonl<SentimentExample>('sentiment-tuning.jsonl'),
  ].map((r) => r.text);
  const pick = (i: number): string => messages[i % messages.length] as string;
  const questions = readJsonl<KbQuestion>('kb-questions.jsonl').map((q) => q.question);
  const ask = (i: number): string => questions[i % questions.length] as string;

  // Sentiment.
  const buf = newTokenBuffer();
  const tokenOnly = { name: 'tokenise-only loop', opsPerSec: opsPerSec((i) => tokenize(pick(i), buf).count) };
  const afinn = createAfinnBaseline();
  const natural = { name: 'natural AFINN (raw)', opsPerSec: opsPerSec((i) => afinn.score(pick(i))) };
  const vader = createVaderBaseline();
  const vaderOps = opsPerSec((i) => vader.score(pick(i)));
  const rulesOnly = createSentimentScorer({ learned: false });
  const rules = { name: 'rule pass alone', opsPerSec: opsPerSec((i) => rulesOnly(pick(i)).score) };
  const full = opsPerSec((i) => scoreSentiment(pick(i)).score);
  const words = messages.reduce((s, m) => s + m.split(/\s+/u).length, 0) / messages.length;

  // Knowledge search.
  const searchTokenOnly = {
    name: 'tokenise+stem query only',
    opsPerSec: opsPerSec((i) => tokenizeForSearch(ask(i)).map(queryTerms).length, 200),
  };
  const plain = new MiniSearch({
    fields: ['title', 'keywords', 'body'],
    extractField: (d: Record<string, unknown>, f: string) =>
      f === 'keywords' ? (d.keywords as string[]).join(' ') : String(d[f]),
  });
  plain.addAll(knowledgeArticles);
  const plainSearch = {
    name: 'minisearch defaults (exact terms)',
    opsPerSec: opsPerSec((i) => plain.search(ask(i)).length, 200),
  };
  const index = createKnowledgeIndex(knowledgeArticles);
  const fullSearch = opsPerSec((i) => index.search(ask(i)).length, 200);

  // Intents and smart assist.
  const classifier = trainIntentClassifier(knowledgeArticles);
  const featuresOnly = {
    name: 'intent features only',
    opsPerSec: opsPerSec((i) => intentFeatures(ask(i)).length),
  };
  const classify = opsPerSec((i) => classifier.classify(ask(i)).confidence);
  const assist = createSmartAssist({ knowledge: index });
  let session = assist.startSession();
  const assistUpdate = opsPerSec((i) => {
    if (i % 8 === 0) session = assist.startSession();
    return session.add({ author: 'customer', text: ask(i) });
  }, 100);

  return [
    row('sentiment: tokenise-only loop', tokenOnly.opsPerSec, tokenOnly, 'messages/s; the floor'),
    row(
      'sentiment: natural AFINN (raw)',
      natural.opsPerSec,
      tokenOnly,
      'AggressiveTokenizer + SentimentAnalyzer(afinn, Porter)',
    ),
    row('sentiment: VADER (vader-sentiment)', vaderOps, tokenOnly, 'polarity_scores'),
    row('sentiment: rule pass alone', rules.opsPerSec, natural, 'lexicons + rules, no learned model'),
    row(
      'sentiment: full scorer (rules + learned model)',
      full,
      rules,
      `messages/s (avg ${words.toFixed(1)} words); ${(full / natural.opsPerSec).toFixed(1)}× natural AFINN, ${(full / tokenOnly.opsPerSec).toFixed(2)}× tokenise-only; target ≥ 100,000`,
    ),
    row(
      'knowledge search: tokenise+stem query',
      searchTokenOnly.opsPerSec,
      searchTokenOnly,
      'queries/s; the floor',
    ),
    row(
      'knowledge search: minisearch defaults',
      plainSearch.opsPerSec,
      searchTokenOnly,
      'no stemming, fuzzy, prefix or boosts',
    ),
    row(
      'knowledge search: full (stem, fuzzy, prefix, boosts, snippet)',
      fullSearch,
      plainSearch,
      `queries/s over ${knowledgeArticles.length} articles`,
    ),
    row('intents: classify', classify, featuresOnly, 'utterances/s'),
    row(
      'smart assist: session.add (customer message)',
      assistUpdate,
      { name: 'full knowledge search', opsPerSec: fullSearch },
      'articles + cases per message',
    ),
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(formatTable(await run()));
}
