import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import SentimentAnalyzer from 'natural/lib/natural/sentiment/SentimentAnalyzer.js';
import AggressiveTokenizer from 'natural/lib/natural/tokenizers/aggressive_tokenizer.js';

/**
 * The baseline the issue names: natural's AFINN analyzer with the Porter stemmer, as its README uses
 * it, mapped to three classes by sign.
 */
export function createAfinnBaseline(): {
  score(text: string): number;
  label(text: string): 'negative' | 'neutral' | 'positive';
} {
  const analyzer = new SentimentAnalyzer('English', PorterStemmer, 'afinn');
  const tokenizer = new AggressiveTokenizer();
  const score = (text: string): number => {
    const tokens = tokenizer.tokenize(text);
    return tokens.length === 0 ? 0 : analyzer.getSentiment(tokens);
  };
  return {
    score,
    label(text) {
      const s = score(text);
      return s > 0 ? 'positive' : s < 0 ? 'negative' : 'neutral';
    },
  };
}
