import { knowledgeArticles } from '../../demo/index.js';
import { trainIntentClassifier } from '../intents/intent-classifier.js';
import type { IntentExample } from './load.js';

/** Accuracy on held-out utterances; an `unsure` answer counts as wrong. */
export function evaluateIntents(examples: readonly IntentExample[]): {
  n: number;
  accuracy: number;
  unsure: number;
  misses: string[];
} {
  const classifier = trainIntentClassifier(knowledgeArticles);
  let correct = 0;
  let unsure = 0;
  const misses: string[] = [];
  for (const e of examples) {
    const r = classifier.classify(e.text);
    const label = r.intent === 'topic' ? `topic:${r.articleId}` : r.intent;
    if (r.intent === 'unsure') unsure++;
    if (label === e.intent) correct++;
    else misses.push(`"${e.text}" → ${label} (${r.confidence.toFixed(2)}), want ${e.intent}`);
  }
  return { n: examples.length, accuracy: examples.length ? correct / examples.length : 0, unsure, misses };
}
