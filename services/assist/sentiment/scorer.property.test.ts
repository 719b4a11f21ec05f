import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SENTIMENT_LEVELS } from '../../domain/index.js';
import { levelOf } from './levels.js';
import { scoreSentiment } from './scorer.js';

const words = fc.constantFrom(
  'not',
  'very',
  'but',
  'good',
  'bad',
  'slow',
  'THANKS',
  'cancel my subscription',
  '!!!',
  '??',
  '😡',
  '👍',
  ':)',
  'router',
  "doesn't",
  'work',
  'kind of',
  ',',
  '.',
);

describe('sentiment scorer properties', () => {
  it('returns a finite score in −1…1 and the level of that score, for any text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'grapheme', maxLength: 200 }),
          fc.array(words, { maxLength: 40 }).map((w) => w.join(' ')),
        ),
        (text) => {
          const { score, level } = scoreSentiment(text);
          expect(Number.isFinite(score)).toBe(true);
          expect(score).toBeGreaterThanOrEqual(-1);
          expect(score).toBeLessThanOrEqual(1);
          expect(SENTIMENT_LEVELS).toContain(level);
          expect(level).toBe(levelOf(score));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('gives the same answer for the same text (no state leaks between calls)', () => {
    fc.assert(
      fc.property(
        fc.array(words, { maxLength: 30 }).map((w) => w.join(' ')),
        fc.string({ maxLength: 80 }),
        (a, b) => {
          const first = scoreSentiment(a);
          scoreSentiment(b);
          expect(scoreSentiment(a)).toEqual(first);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('sentiment scorer on hostile input', () => {
  it('scores a 1 MB message quickly (single pass, no backtracking)', () => {
    const huge =
      'not '.repeat(100_000) + ':'.repeat(200_000) + "'-'-".repeat(100_000) + 'bad!'.repeat(50_000);
    const start = performance.now();
    const { score } = scoreSentiment(huge);
    expect(Number.isFinite(score)).toBe(true);
    expect(performance.now() - start).toBeLessThan(1000);
  });
});
