import { describe, expect, it } from 'vitest';
import { createSentimentScorer, explainSentiment, scoreSentiment } from './scorer.js';
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
    // The learned model knows "slow" from its training data, so the lexicon is measured on the rules alone.
    const noDomain = createSentimentScorer({ domainLexicon: false, learned: false });
    expect(noDomain('the wifi is slow').level).toBe('neutral');
    const rulesOnly = createSentimentScorer({ learned: false });
    expect(rulesOnly.explain('two hours on hold').probabilities).toBeUndefined();
  });
});

describe('public messages to a company', () => {
  it('reads a complaint without a single negative word as negative', () => {
    expect(threeWay(scoreSentiment('@Contoso two hours on hold and still no answer').level)).toBe('negative');
    expect(threeWay(scoreSentiment('my package never arrived').level)).toBe('negative');
  });

  it('reads a question that carries no complaint as neutral, whatever it is about', () => {
    expect(scoreSentiment('@Contoso can I bring my dog on the plane?').level).toBe('neutral');
    expect(scoreSentiment('where do I send the form?').level).toBe('neutral');
  });

  it('ignores @mentions and links: a message of only those is neutral', () => {
    expect(scoreSentiment('@Contoso https://t.co/abc123').level).toBe('neutral');
    expect(scoreSentiment('@happy_customer_care is the store open today?').level).toBe('neutral');
  });

  it('reads slang, stretched words and emoji-only messages', () => {
    expect(threeWay(scoreSentiment('ur app is sooooo slow smh').level)).toBe('negative');
    expect(threeWay(scoreSentiment('😡😡').level)).toBe('negative');
    expect(threeWay(scoreSentiment('🙏').level)).toBe('positive');
  });

  it('keeps a calm problem report milder than a shouted one', () => {
    expect(scoreSentiment('Hi, my internet is down.').level).toBe('slightly negative');
    expect(scoreSentiment('MY INTERNET IS DOWN AGAIN!!!').level).toBe('very negative');
  });
});

describe('explaining a score', () => {
  it('lists the words and rules that moved the message, strongest first', () => {
    const e = explainSentiment('The technician was friendly but the internet still does not work');
    expect(threeWay(e.level)).toBe('negative');
    expect(e.score).toBe(
      scoreSentiment('The technician was friendly but the internet still does not work').score,
    );
    const effects = e.cues.map((c) => Math.abs(c.effect));
    expect(effects).toEqual([...effects].sort((a, b) => b - a));
    const notWork = e.cues.find((c) => c.cue === 'does not work');
    expect(notWork?.effect).toBeLessThan(0);
    expect(e.cues.find((c) => c.cue === 'friendly')?.effect).toBeGreaterThan(0);
  });

  it('names the rule that changed a word', () => {
    const e = explainSentiment('I am NOT happy');
    expect(e.cues.find((c) => c.cue === 'happy')?.rule).toBe('negated');
    expect(explainSentiment('this is UNACCEPTABLE').cues.find((c) => c.cue === 'unacceptable')?.rule).toBe(
      'capitals',
    );
  });

  it("gives the model's class probabilities, which agree with the level", () => {
    const e = explainSentiment('thank you so much, that fixed it');
    const p = e.probabilities!;
    expect(p.negative + p.neutral + p.positive).toBeCloseTo(1, 6);
    expect(p.positive).toBeGreaterThan(Math.max(p.negative, p.neutral));
    expect(threeWay(e.level)).toBe('positive');
  });
});

describe('dampeners', () => {
  it('softens the word after "kind of" or "a bit"', () => {
    expect(score('it is kind of slow')).toBeGreaterThan(score('it is slow'));
    expect(score('it is a bit slow')).toBeGreaterThan(score('it is slow'));
  });
});
