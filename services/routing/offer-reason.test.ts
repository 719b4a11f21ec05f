import { describe, expect, it } from 'vitest';
import { conversationOfOffer, offerIdOf, offerReason } from './offer-reason.js';

const now = new Date('2026-03-02T10:00:00Z');
const ana = {
  id: 'agent_ana',
  chosenPresence: 'available' as const,
  capacity: 100,
  usedUnits: 40,
  skills: [
    { name: 'wifi', proficiency: 7 },
    { name: 'outage', proficiency: 5 },
  ],
  lastItemEndedAt: new Date('2026-03-02T09:58:00Z'),
};
const queue = {
  name: 'Technical support',
  assignmentMethod: 'highest-capacity' as const,
  skillMatching: 'closest' as const,
};

describe('why routing offered an item', () => {
  it('says exact when the agent has every required skill, with free units and idle time', () => {
    const r = offerReason(ana, { requiredSkills: ['wifi'] }, queue, { capacityCost: 50 }, now);
    expect(r).toMatchObject({
      method: 'highest-capacity',
      presence: 'available',
      freeUnits: 60,
      cost: 50,
      skills: { required: ['wifi'], matched: ['wifi'], match: 'exact' },
      idleSeconds: 120,
    });
    expect(r.summary).toBe(
      'Technical support offers to the agent with the most free capacity: you are available with 60 of 100 units free, you have every required skill (wifi), idle for 120 s.',
    );
  });

  it('says closest when only some skills match, and none when none were required', () => {
    expect(
      offerReason(ana, { requiredSkills: ['wifi', 'fiber'] }, queue, { capacityCost: 50 }, now).skills,
    ).toEqual({
      required: ['wifi', 'fiber'],
      matched: ['wifi'],
      match: 'closest',
    });
    const fresh = { ...ana, lastItemEndedAt: undefined };
    const r = offerReason(fresh, { requiredSkills: [] }, queue, { capacityCost: 50 }, now);
    expect(r.skills.match).toBe('none');
    expect(r.idleSeconds).toBeNull();
  });

  it('names who handed the conversation over when it was transferred', () => {
    const r = offerReason(ana, { requiredSkills: ['wifi'] }, queue, { capacityCost: 50 }, now, {
      transferredBy: 'Alex Rivera',
    });
    expect(r.summary).toBe(
      'Transferred to you by Alex Rivera in Technical support; you have every required skill (wifi).',
    );
  });

  it('says a returning customer came back to the agent who served them last', () => {
    const r = offerReason(
      ana,
      { requiredSkills: [], lastAgentId: 'agent_ana' },
      queue,
      { capacityCost: 50 },
      now,
    );
    expect(r.returning).toBe(true);
    expect(r.summary).toBe(
      'A returning customer: you served them last, and Technical support offers them to you first (you have 60 of 100 units free).',
    );
    // Someone else served them: the method's reason, as for anyone.
    const other = offerReason(
      ana,
      { requiredSkills: [], lastAgentId: 'agent_bo' },
      queue,
      { capacityCost: 50 },
      now,
    );
    expect(other.returning).toBeUndefined();
    expect(other.summary).toMatch(/^Technical support offers to the agent with the most free capacity/);
  });

  it('names an offer by conversation and offer time, and reads it back', () => {
    const id = offerIdOf({ id: 'conv_a.b', timestamps: { createdAt: now, offeredAt: now } });
    expect(conversationOfOffer(id)).toEqual({ conversationId: 'conv_a.b', offeredAtMs: now.getTime() });
    expect(conversationOfOffer('nodot')).toBeNull();
    expect(conversationOfOffer('conv.notanumber')).toBeNull();
  });
});
