import { describe, expect, it } from 'vitest';
import { createSentimentScorer, scoreSentiment } from './scorer.js';
import { threeWay } from './levels.js';

const score = (text: string) => scoreSentiment(text).score;

describe('sentiment scorer', () => {
  it('reads a plain complaint as negative and thanks as positive', () => {
    expect(threeWay(scoreSentiment('This is the worst internet provider I have ever had.').level)).toBe(
      'negative',
    );
    expect(threeWay(scoreSentiment('Thank you so much, that fixed it!').level)).toBe('positive');
  });

  it('reads a how-to question as neutral', () => {
    expect(scoreSentiment('How do I change my wifi password?').level).toBe('neutral');
    expect(scoreSentiment('My account number is 448120.').level).toBe('neutral');
  });

  it('treats "not bad" as mildly positive', () => {
    expect(scoreSentiment('not bad').level).toBe('slightly positive');
  });

  it('turns a negated positive word negative', () => {
    expect(score('I am not happy with this')).toBeLessThan(-0.2);
    expect(score('I am happy with this')).toBeGreaterThan(0.2);
  });

  it('reads "doesn\'t work" and "no internet" as complaints', () => {
    expect(threeWay(scoreSentiment("The extender doesn't work").level)).toBe('negative');
    expect(threeWay(scoreSentiment('Still no internet').level)).toBe('negative');
  });

  it('lets negation reach only the next sentiment word', () => {
    // "slow" keeps its own sign although it follows "not happy".
    expect(score('not happy with the slow service')).toBeLessThan(score('not happy with the service'));
  });

  it('raises the weight of a word after "very" or "extremely"', () => {
    expect(score('I am extremely upset')).toBeLessThan(score('I am upset'));
    expect(score('very good')).toBeGreaterThan(score('good'));
  });

  it('weighs the part after "but"', () => {
    expect(
      threeWay(scoreSentiment('The technician was friendly but the internet still does not work').level),
    ).toBe('negative');
    expect(threeWay(scoreSentiment('The outage was annoying but you fixed it quickly, thanks').level)).toBe(
      'positive',
    );
  });

  it('reads capitals and exclamation marks as emphasis', () => {
    expect(score('this is UNACCEPTABLE')).toBeLessThan(score('this is unacceptable'));
    expect(score('this is unacceptable!!!')).toBeLessThan(score('this is unacceptable'));
  });

  it('scores emoji and emoticons', () => {
    expect(score('the internet is dead again 😡')).toBeLessThan(score('the internet is dead again'));
    expect(threeWay(scoreSentiment('all working now 👍').level)).toBe('positive');
    expect(threeWay(scoreSentiment('thanks :)').level)).toBe('positive');
  });

  it('knows contact-center phrases AFINN lacks', () => {
    expect(threeWay(scoreSentiment('I want to cancel my subscription').level)).toBe('negative');
    expect(threeWay(scoreSentiment('This is the third time I am contacting you').level)).toBe('negative');
    expect(threeWay(scoreSentiment('the wifi is slow').level)).toBe('negative');
    expect(threeWay(scoreSentiment('thanks for nothing').level)).toBe('negative');
  });

  it('reads AFINN words that are plain verbs in support chats as neutral', () => {
    expect(scoreSentiment("I'd like to upgrade my plan").level).toBe('neutral');
    expect(scoreSentiment('I need help with my account').level).toBe('neutral');
  });

  it('damps a plain question', () => {
    expect(Math.abs(score('Can I keep my email if I cancel?'))).toBeLessThan(
      Math.abs(score('I will cancel')),
    );
  });

  it('keeps scores within −1…1', () => {
    expect(score('terrible awful horrible worst disgusting useless!!!! 😡😡😡')).toBeGreaterThanOrEqual(-1);
    expect(score('great wonderful amazing fantastic superb!!!! 😍😍😍')).toBeLessThanOrEqual(1);
  });

  it('switches each addition off independently', () => {
    const plain = createSentimentScorer({ negation: false });
    expect(plain('not bad').score).toBeLessThan(0);
    const noDomain = createSentimentScorer({ domainLexicon: false });
    expect(noDomain('the wifi is slow').level).toBe('neutral');
  });
});

describe('dampeners', () => {
  it('softens the word after "kind of" or "a bit"', () => {
    expect(score('it is kind of slow')).toBeGreaterThan(score('it is slow'));
    expect(score('it is a bit slow')).toBeGreaterThan(score('it is slow'));
  });
});
