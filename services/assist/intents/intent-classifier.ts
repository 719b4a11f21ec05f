import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import stopwords from 'natural/lib/natural/util/stopwords.js';
import type { KnowledgeArticle } from '../../domain/index.js';
import { trainNaiveBayes } from './naive-bayes.js';
import { saysThanks } from './thanks.js';
import { TRAINING_UTTERANCES, type ConversationalIntent } from './utterances.js';

/**
 * Below this confidence the bot should not act on its guess: it asks the customer to rephrase or
 * offers an agent. Chosen with SMOOTHING by leave-one-out over the training examples (not the
 * held-out set): 0.3 costs 2 points of LOO accuracy against no threshold, while one-word chat that
 * only brushes the vocabulary ("what is the meaning of life") falls to `unsure`.
 */
export const INTENT_CONFIDENCE_THRESHOLD = 0.3;

/** Add-α smoothing; small, because with 26 classes a larger α flattens one-word posteriors ("hello"). */
const SMOOTHING = 0.1;

export type Intent = ConversationalIntent | 'topic' | 'unsure';

export interface IntentResult {
  intent: Intent;
  /** For `topic`: the article that answers it. */
  articleId?: string;
  /** Posterior of the best class, 0…1 (0 when no word was known). */
  confidence: number;
  /** The best guess even when `unsure`, e.g. `thanks` or `topic:kb_slow_wifi`. */
  bestGuess?: string;
}

export interface IntentClassifier {
  classify(text: string): IntentResult;
}

// Negations, yes/no and small words that make up "see you later" or "not at all" are the signal of
// the conversational intents, so they stay although a search engine would drop them.
const KEEP = new Set([
  'no',
  'not',
  'yes',
  'all',
  'bye',
  'good',
  'later',
  'see',
  'you',
  'did',
  'out',
  'off',
  'on',
  'up',
  'down',
]);
const STOPWORDS: ReadonlySet<string> = new Set(stopwords.words.filter((w) => !KEEP.has(w)));

/** Stemmed words, with "n't" spelled out so "didn't" and "did not" are the same evidence. */
export function intentFeatures(text: string): string[] {
  const words = text
    .toLowerCase()
    .replaceAll('\u2019', "'")
    .replace(/n't\b/gu, ' not')
    .split(/[^a-z0-9]+/u);
  const features: string[] = [];
  for (const w of words) if (w !== '' && !STOPWORDS.has(w)) features.push(PorterStemmer.stem(w));
  return features;
}

const TOPIC = 'topic:';

/**
 * Trains at start-up (milliseconds) from the knowledge base — each article's title and keywords are
 * the phrasings of its topic — and the small-talk utterances. Retrain when articles change.
 */
export function trainIntentClassifier(
  articles: Iterable<Pick<KnowledgeArticle, 'id' | 'title' | 'keywords'>>,
  utterances: Readonly<Record<ConversationalIntent, readonly string[]>> = TRAINING_UTTERANCES,
): IntentClassifier {
  const examples: Array<{ features: string[]; label: string }> = [];
  for (const [intent, texts] of Object.entries(utterances)) {
    for (const t of texts) examples.push({ features: intentFeatures(t), label: intent });
  }
  for (const a of articles) {
    const label = TOPIC + a.id;
    examples.push({ features: intentFeatures(a.title), label });
    for (const k of a.keywords) examples.push({ features: intentFeatures(k), label });
  }
  const model = trainNaiveBayes(examples, SMOOTHING);

  return {
    classify(text) {
      const [best, next] = model.posteriors(intentFeatures(text));
      if (best === undefined) return { intent: 'unsure', confidence: 0 };
      // "can you help me with my data" shares "you" and "help" with the thanks examples: it is not
      // understood, rather than answered "You're welcome!".
      if (best.label === 'thanks' && !saysThanks(text))
        return { intent: 'unsure', confidence: best.p, ...(next ? { bestGuess: next.label } : {}) };
      const confidence = best.p;
      if (confidence < INTENT_CONFIDENCE_THRESHOLD)
        return { intent: 'unsure', confidence, bestGuess: best.label };
      if (best.label.startsWith(TOPIC)) {
        return {
          intent: 'topic',
          articleId: best.label.slice(TOPIC.length),
          confidence,
          bestGuess: best.label,
        };
      }
      return { intent: best.label as ConversationalIntent, confidence, bestGuess: best.label };
    },
  };
}
