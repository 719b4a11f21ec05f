// Which committed data trains the sentiment model and which only measures it (eval/data/README.md).
import type { LabelledText } from '../sentiment/model.js';
import { readJsonl, type SentimentExample } from './load.js';

/**
 * The binary review sentences (Yelp, IMDb) teach word polarity but have no neutral class; at full
 * weight they would teach the model that every sentence takes a side. Chosen by cross-validation on
 * the tuning data (eval/sentiment-cv.ts).
 */
export const REVIEW_WEIGHT = 0.1;

export function tuningSplits(): {
  social: SentimentExample[];
  chat: SentimentExample[];
  reviews: SentimentExample[];
} {
  return {
    social: readJsonl<SentimentExample>('social-tuning.jsonl'),
    chat: readJsonl<SentimentExample>('sentiment-tuning.jsonl'),
    reviews: [
      ...readJsonl<SentimentExample>('uci-yelp.jsonl'),
      ...readJsonl<SentimentExample>('uci-imdb.jsonl'),
    ],
  };
}

/** Held-out splits: never trained on, never looked at while choosing the model. */
export function heldOutSplits(): { name: string; rows: SentimentExample[]; about: string }[] {
  return [
    {
      name: 'public messages (held-out)',
      rows: readJsonl<SentimentExample>('social-heldout.jsonl'),
      about: 'tweet-style messages to 30 businesses, three-way',
    },
    {
      name: 'support chat (held-out)',
      rows: readJsonl<SentimentExample>('sentiment-heldout.jsonl'),
      about: 'Northwind Fiber chat messages, written earlier by another hand, three-way',
    },
    {
      name: 'Amazon reviews (held-out)',
      rows: readJsonl<SentimentExample>('uci-amazon.jsonl'),
      about: 'real customers’ product-review sentences, positive / negative only',
    },
  ];
}

export function trainingSet(reviewWeight = REVIEW_WEIGHT): LabelledText[] {
  const { social, chat, reviews } = tuningSplits();
  return [...social, ...chat, ...reviews.map((r) => ({ ...r, weight: reviewWeight }))];
}
