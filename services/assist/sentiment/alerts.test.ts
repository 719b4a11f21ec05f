import { describe, expect, it } from 'vitest';
import type { SentimentReading } from '../../domain/entities.js';
import { decideArrivalAlerts, decideSentimentAlerts, type AlertRecipient } from './alerts.js';
import { levelOf } from './levels.js';

const at = new Date('2026-11-25T10:00:00Z');
const reading = (score: number): SentimentReading => ({ score, level: levelOf(score), at });
const agent: AlertRecipient = { id: 'agent_1', role: 'agent', threshold: 'negative' };
const supervisor: AlertRecipient = { id: 'sup_1', role: 'supervisor', threshold: 'very negative' };
const quiet: AlertRecipient = { id: 'agent_2', role: 'agent', threshold: 'off' };

describe('sentiment alerts', () => {
  it('alerts a recipient when the reading crosses their threshold', () => {
    expect(decideSentimentAlerts(reading(-0.1), reading(-0.5), [agent, supervisor])).toEqual([
      { recipientId: 'agent_1', recipientRole: 'agent', level: 'negative' },
    ]);
  });

  it('alerts each recipient at their own threshold', () => {
    const alerts = decideSentimentAlerts(reading(-0.5), reading(-0.8), [agent, supervisor]);
    expect(alerts.map((a) => a.recipientId)).toEqual(['sup_1']);
  });

  it('does not alert again while the reading stays below the threshold', () => {
    expect(decideSentimentAlerts(reading(-0.5), reading(-0.55), [agent])).toEqual([]);
  });

  it('re-arms once the reading recovers above the threshold', () => {
    expect(decideSentimentAlerts(reading(-0.5), reading(-0.1), [agent])).toEqual([]);
    expect(decideSentimentAlerts(reading(-0.1), reading(-0.5), [agent])).toHaveLength(1);
  });

  it('alerts on the first reading of a conversation when it is already below', () => {
    expect(decideSentimentAlerts(undefined, reading(-0.9), [agent, supervisor])).toHaveLength(2);
  });

  it('never alerts a recipient who turned alerts off', () => {
    expect(decideSentimentAlerts(undefined, reading(-0.95), [quiet])).toEqual([]);
  });
});

describe('sentiment alerts on arrival', () => {
  const at = (seq: number, score: number) => ({ seq, value: levelOf(score) });
  const told = (seq: number, recipientId: string) => ({ seq, value: recipientId });

  it('alerts someone who starts watching after the crossing, at their own threshold', () => {
    const readings = [at(1, -0.1), at(5, -0.5)];
    expect(decideArrivalAlerts(readings, [], [agent, supervisor])).toEqual([
      { recipientId: 'agent_1', recipientRole: 'agent', level: 'negative' },
    ]);
  });

  it('does not alert twice in one stretch below the threshold, as a re-queue would', () => {
    expect(decideArrivalAlerts([at(1, -0.1), at(5, -0.5)], [told(6, 'agent_1')], [agent])).toEqual([]);
    expect(decideArrivalAlerts([at(5, -0.5), at(7, -0.6)], [told(6, 'agent_1')], [agent])).toEqual([]);
  });

  it('alerts again in a new stretch, after the reading recovered', () => {
    const readings = [at(1, -0.5), at(3, -0.1), at(5, -0.5)];
    expect(decideArrivalAlerts(readings, [told(2, 'agent_1')], [agent])).toHaveLength(1);
  });

  it('says nothing without a reading, above the threshold, or to a recipient who turned alerts off', () => {
    expect(decideArrivalAlerts([], [], [agent])).toEqual([]);
    expect(decideArrivalAlerts([at(1, -0.1)], [], [agent])).toEqual([]);
    expect(decideArrivalAlerts([at(1, -0.95)], [], [quiet])).toEqual([]);
  });
});
