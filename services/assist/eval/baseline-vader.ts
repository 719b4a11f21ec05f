import vader from 'vader-sentiment';

/**
 * The second baseline the issue names: VADER (Hutto & Gilbert 2014) as the vader-sentiment package
 * ports it, with the authors' thresholds on the compound score (≥ 0.05 positive, ≤ −0.05 negative).
 */
export function createVaderBaseline(): {
  score(text: string): number;
  label(text: string): 'negative' | 'neutral' | 'positive';
} {
  const score = (text: string): number => vader.SentimentIntensityAnalyzer.polarity_scores(text).compound;
  return {
    score,
    label(text) {
      const s = score(text);
      return s >= 0.05 ? 'positive' : s <= -0.05 ? 'negative' : 'neutral';
    },
  };
}
