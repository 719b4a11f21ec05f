import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dataDir = fileURLToPath(new URL('./data/', import.meta.url));

export interface SentimentExample {
  text: string;
  label: 'negative' | 'neutral' | 'positive';
}
export interface KbQuestion {
  question: string;
  articleId: string;
}
/** Same polarity, `stronger` should score further from neutral than `weaker`. */
export interface IntensityPair {
  stronger: string;
  weaker: string;
}
export interface IntentExample {
  text: string;
  intent: string;
}

export function readJsonl<T>(file: string): T[] {
  return readFileSync(dataDir + file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}
