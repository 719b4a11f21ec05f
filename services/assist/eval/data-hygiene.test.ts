import { describe, expect, it } from 'vitest';
import { TRAINING_UTTERANCES } from '../intents/utterances.js';
import { readJsonl, type IntentExample, type KbQuestion, type SentimentExample } from './load.js';
import { knowledgeArticles } from '../../demo/knowledge-articles.js';
import { heldOutSplits, trainingSet } from './sentiment-data.js';

const norm = (t: string) =>
  t
    .toLowerCase()
    .replace(/[^a-z0-9]+/gu, ' ')
    .trim();

describe('evaluation data', () => {
  it('has at least 300 labelled sentiment messages, split into disjoint halves', () => {
    const tuning = readJsonl<SentimentExample>('sentiment-tuning.jsonl');
    const heldOut = readJsonl<SentimentExample>('sentiment-heldout.jsonl');
    expect(tuning.length + heldOut.length).toBeGreaterThanOrEqual(300);
    const seen = new Set(tuning.map((r) => norm(r.text)));
    expect(heldOut.filter((r) => seen.has(norm(r.text)))).toEqual([]);
    for (const r of [...tuning, ...heldOut]) expect(['negative', 'neutral', 'positive']).toContain(r.label);
  });

  it('has over a thousand three-way public messages, split so no held-out text is trained on', () => {
    const tuning = readJsonl<SentimentExample>('social-tuning.jsonl');
    const heldOut = readJsonl<SentimentExample>('social-heldout.jsonl');
    expect(tuning.length + heldOut.length).toBeGreaterThanOrEqual(1000);
    for (const label of ['negative', 'neutral', 'positive']) {
      expect(heldOut.filter((r) => r.label === label).length).toBeGreaterThanOrEqual(50);
    }
    const trained = new Set(trainingSet().map((r) => norm(r.text)));
    for (const split of heldOutSplits()) {
      expect(split.rows.filter((r) => trained.has(norm(r.text))).map((r) => r.text)).toEqual([]);
      for (const r of split.rows) expect(['negative', 'neutral', 'positive']).toContain(r.label);
    }
  });

  it('keeps every held-out intent utterance out of training', () => {
    const training = new Set(Object.values(TRAINING_UTTERANCES).flat().map(norm));
    for (const a of knowledgeArticles) [a.title, ...a.keywords].forEach((t) => training.add(norm(t)));
    const heldOut = readJsonl<IntentExample>('intents-heldout.jsonl');
    expect(heldOut.filter((e) => training.has(norm(e.text)))).toEqual([]);
  });

  it('asks at least 60 knowledge questions, each about an existing demo article', () => {
    const ids = new Set(knowledgeArticles.map((a) => a.id));
    const questions = readJsonl<KbQuestion>('kb-questions.jsonl');
    expect(questions.length).toBeGreaterThanOrEqual(60);
    expect(questions.filter((q) => !ids.has(q.articleId))).toEqual([]);
  });
});
