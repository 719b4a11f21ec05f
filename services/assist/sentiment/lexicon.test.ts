import SentimentAnalyzer from 'natural/lib/natural/sentiment/SentimentAnalyzer.js';
import { describe, expect, it } from 'vitest';
import { afinnVocabulary } from './lexicon.js';

describe('AFINN vocabulary', () => {
  it("is natural's English AFINN analyzer's, word for word", () => {
    const natural = new SentimentAnalyzer('English', null, 'afinn').vocabulary;
    const ours = afinnVocabulary();
    expect(Object.keys(ours).length).toBeGreaterThan(3000);
    expect({ ...ours }).toEqual({ ...natural });
  });
});
