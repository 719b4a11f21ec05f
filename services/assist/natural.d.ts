// `natural` ships types only for its package root, which loads databases and .env files at import;
// we import the few submodules we use directly and declare just the surface we call.

declare module 'natural/lib/natural/stemmers/porter_stemmer.js' {
  interface Stemmer {
    stem(token: string): string;
    tokenizeAndStem(text: string, keepStops?: boolean): string[];
  }
  const PorterStemmer: Stemmer;
  export default PorterStemmer;
}

declare module 'natural/lib/natural/sentiment/SentimentAnalyzer.js' {
  import type PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
  export default class SentimentAnalyzer {
    constructor(language: 'English', stemmer: typeof PorterStemmer | null, type: 'afinn');
    /** Word (or phrase) → AFINN valence −5…5. */
    vocabulary: Record<string, number>;
    negations: string[];
    getSentiment(words: string[]): number;
  }
}

declare module 'natural/lib/natural/tokenizers/aggressive_tokenizer.js' {
  export default class AggressiveTokenizer {
    tokenize(text: string): string[];
  }
}

declare module 'natural/lib/natural/classifiers/bayes_classifier.js' {
  import type PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
  export default class BayesClassifier {
    constructor(stemmer?: typeof PorterStemmer, smoothing?: number);
    setOptions(options: { keepStops?: boolean }): void;
    addDocument(text: string | string[], label: string): void;
    train(): void;
    classify(observation: string | string[]): string;
    getClassifications(observation: string | string[]): Array<{ label: string; value: number }>;
  }
}

declare module 'natural/lib/natural/util/stopwords.js' {
  const stopwords: { words: string[] };
  export default stopwords;
}
