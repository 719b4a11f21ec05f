import { describe, expect, it } from 'vitest';
import { erlangC, erlangCProbability } from './erlang-c.js';

describe('Erlang C', () => {
  it('gives P(wait) = ρ for one server (M/M/1)', () => {
    expect(erlangCProbability(1, 0.6)).toBeCloseTo(0.6, 12);
  });
  it('gives P(wait) = 1/3 for two servers at one Erlang, worked by hand from the factorial form', () => {
    // C = (A^N/N! · N/(N−A)) / (Σ_{k<N} A^k/k! + A^N/N! · N/(N−A)) = (½·2) / (1 + 1 + 1) = 1/3.
    expect(erlangCProbability(2, 1)).toBeCloseTo(1 / 3, 12);
  });
  it('matches the textbook call-centre example: 100 calls per 30 min, AHT 180 s, 11 agents', () => {
    // A = 10 Erlangs; P(wait) 68.21 % (published tables); SL = 1 − 0.6821·e^(−(11−10)·20/180) = 38.96 %;
    // ASA = 0.6821·180/(11−10) = 122.8 s.
    const p = erlangC({ arrivalsPerHour: 200, handleSeconds: 180, agents: 11, answerWithinSeconds: 20 });
    expect(p.probabilityOfWaiting).toBeCloseTo(0.6821, 3);
    expect(p.serviceLevel).toBeCloseTo(0.3896, 3);
    expect(p.asaSeconds).toBeCloseTo(122.8, 0);
    expect(p.occupancy).toBeCloseTo(10 / 11, 12);
  });
  it('reports an unstable queue when traffic reaches the number of agents', () => {
    expect(
      erlangC({ arrivalsPerHour: 360, handleSeconds: 240, agents: 24, answerWithinSeconds: 20 }).serviceLevel,
    ).toBe(0);
  });
});
