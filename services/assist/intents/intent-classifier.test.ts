import { describe, expect, it } from 'vitest';
import { knowledgeArticles } from '../../demo/knowledge-articles.js';
import { INTENT_CONFIDENCE_THRESHOLD, trainIntentClassifier } from './intent-classifier.js';

const classifier = trainIntentClassifier(knowledgeArticles);

describe('intent classifier', () => {
  it('tells a request for a person from a how-to question', () => {
    expect(classifier.classify('I want to talk to a real person').intent).toBe('escalate');
    expect(classifier.classify('how do I change my wifi password')).toMatchObject({
      intent: 'topic',
      articleId: 'kb_change_wifi_password',
    });
  });

  it('answers "did that help?" replies', () => {
    expect(classifier.classify('yes, that fixed it').intent).toBe('affirm');
    expect(classifier.classify("no, it didn't help").intent).toBe('deny');
  });

  it('recognises greetings, thanks and goodbyes', () => {
    expect(classifier.classify('hello!').intent).toBe('greeting');
    expect(classifier.classify('thank you so much').intent).toBe('thanks');
    expect(classifier.classify('ok bye').intent).toBe('goodbye');
  });

  it('maps product topics to their articles', () => {
    expect(classifier.classify('my router shows a blinking red light').articleId).toBe('kb_router_red_light');
    expect(classifier.classify('I want to cancel my service').articleId).toBe('kb_cancel_service');
  });

  it('is unsure about text it has no evidence for', () => {
    expect(classifier.classify('asdf qwerty')).toEqual({ intent: 'unsure', confidence: 0 });
    const offTopic = classifier.classify('what is the meaning of life');
    expect(offTopic.intent).toBe('unsure');
    expect(offTopic.confidence).toBeLessThan(INTENT_CONFIDENCE_THRESHOLD);
  });

  it('reports a confidence between 0 and 1', () => {
    const r = classifier.classify('can I speak with an agent');
    expect(r.confidence).toBeGreaterThanOrEqual(INTENT_CONFIDENCE_THRESHOLD);
    expect(r.confidence).toBeLessThanOrEqual(1);
  });

  it('learns new articles when retrained', () => {
    const retrained = trainIntentClassifier([
      ...knowledgeArticles,
      { id: 'kb_smart_home', title: 'Smart home hub pairing', keywords: ['zigbee', 'hub'] },
    ]);
    expect(retrained.classify('pair my zigbee hub').articleId).toBe('kb_smart_home');
  });
});
