import { describe, expect, it } from 'vitest';
import type { SentimentReading } from '../../domain/entities.js';
import { levelOf } from './levels.js';
import { conversationSentiment, nextConversationSentiment, sentimentTrend } from './conversation.js';

const at = new Date('2026-11-25T10:00:00Z');
const reading = (score: number): SentimentReading => ({ score, level: levelOf(score), at });

describe('conversation sentiment', () => {
  it('starts at the first message', () => {
    expect(conversationSentiment([reading(-0.5)])?.score).toBe(-0.5);
  });

  it('weighs recent messages more than old ones', () => {
    const angryThenHappy = conversationSentiment([reading(-0.8), reading(-0.8), reading(0.7), reading(0.7)]);
    const happyThenAngry = conversationSentiment([reading(0.7), reading(0.7), reading(-0.8), reading(-0.8)]);
    expect(angryThenHappy!.score).toBeGreaterThan(0);
    expect(happyThenAngry!.score).toBeLessThan(0);
  });

  it('lets a neutral "ok" barely soften an angry conversation', () => {
    const angry = conversationSentiment([reading(-0.9), reading(-0.9)])!;
    const afterOk = nextConversationSentiment(angry, reading(0));
    expect(afterOk.score).toBeLessThan(angry.score * 0.8);
    expect(afterOk.level).toBe(angry.level);
  });

  it('reports the trend of the last change', () => {
    expect(sentimentTrend(reading(-0.5), reading(-0.2))).toBe('improving');
    expect(sentimentTrend(reading(-0.2), reading(-0.5))).toBe('worsening');
    expect(sentimentTrend(reading(-0.2), reading(-0.22))).toBe('steady');
  });
});
