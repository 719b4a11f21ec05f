import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { levelOf, threeWay } from '../sentiment/levels.js';
import { VADER_WORDS } from '../sentiment/lexicon.js';
import { scoreFromProbabilities, trainModel, type SentimentModelJson } from '../sentiment/model.js';
import committed from '../sentiment/model.json' with { type: 'json' };
import { ALL_FEATURES } from '../sentiment/scorer.js';
import { trainingSet } from './sentiment-data.js';
import { vaderWordsNotInAfinn } from './vader-words.js';

describe('the committed sentiment model', () => {
  it('is what training on the committed tuning data gives (so model.json hides nothing)', () => {
    expect(trainModel(trainingSet(), ALL_FEATURES)).toEqual(committed as SentimentModelJson);
  }, 120_000);

  it("carries VADER's words exactly as the vader-sentiment package rates them", () => {
    expect(VADER_WORDS).toEqual(vaderWordsNotInAfinn());
  });
});

describe('score from class probabilities', () => {
  const probabilities = fc
    .tuple(
      fc.double({ min: 0.001, max: 1, noNaN: true }),
      fc.double({ min: 0.001, max: 1, noNaN: true }),
      fc.double({ min: 0.001, max: 1, noNaN: true }),
    )
    .map(([a, b, c]) => [a / (a + b + c), b / (a + b + c), c / (a + b + c)] as const);

  it('reads the most probable class, and stays within −1…1', () => {
    fc.assert(
      fc.property(probabilities, fc.double({ min: -1, max: 1, noNaN: true }), ([neg, neu, pos], rules) => {
        const score = scoreFromProbabilities(neg, neu, pos, rules);
        expect(Math.abs(score)).toBeLessThanOrEqual(1);
        const want = neu >= Math.max(neg, pos) ? 'neutral' : pos > neg ? 'positive' : 'negative';
        expect(threeWay(levelOf(score))).toBe(want);
      }),
      { numRuns: 2000 },
    );
  });

  it('grows with the rule score that agrees with the side', () => {
    expect(Math.abs(scoreFromProbabilities(0.7, 0.2, 0.1, -0.8))).toBeGreaterThan(
      Math.abs(scoreFromProbabilities(0.7, 0.2, 0.1, -0.2)),
    );
    expect(scoreFromProbabilities(0.7, 0.2, 0.1, 0.9)).toBeLessThan(-0.19);
  });
});
