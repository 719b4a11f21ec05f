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
  // Linear time is the property: backtracking or a quadratic pass would make ten times the input cost
  // a hundred times as much. Timed against a tenth of the same text in the same run, so a busy machine
  // slows both sides alike.
  const hostile = (k: number): string =>
    'not '.repeat(k) + ':'.repeat(2 * k) + "'-'-".repeat(k) + 'bad!'.repeat(k / 2);
  // The fastest of five: what the scorer costs, without another test's garbage collection or a
  // loaded machine's pause, which a median of three still caught once in a full run.
  const fastest = (f: () => void): number =>
    Math.min(
      ...[0, 1, 2, 3, 4].map(() => {
        const start = performance.now();
        f();
        return performance.now() - start;
      }),
    );

  it('scores a 1 MB message in time proportional to its length (single pass, no backtracking)', () => {
    const tenth = hostile(10_000);
    const huge = hostile(100_000);
    expect(huge.length).toBeGreaterThanOrEqual(1_000_000);
    scoreSentiment(huge);
    const small = fastest(() => scoreSentiment(tenth));
    const big = fastest(() => {
      const { score } = scoreSentiment(huge);
      expect(Number.isFinite(score)).toBe(true);
    });
    expect(big).toBeLessThan(small * 30 + 20);
    expect(big).toBeLessThan(5000);
  }, 60_000);
});
