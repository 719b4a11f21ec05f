import { describe, expect, it } from 'vitest';
import type { AgentScript } from '../domain/index.js';
import { chooseScript } from './scripts.js';

const script = (id: string, name: string, steps: string[]): AgentScript => ({
  id,
  name,
  workstreamIds: ['ws'],
  steps: steps.map((text, i) => ({ id: `${id}${i}`, kind: 'text' as const, text })),
  createdAt: new Date(0),
});

describe('chooseScript', () => {
  const billing = script('b', 'Billing dispute', ['Ask which charge is disputed']);
  const outage = script('o', 'Outage troubleshooting', ['Check the outage map', 'Restart the router']);
  const moving = script('m', 'Moving service', ['Confirm the new address']);

  it('picks the script that shares the most words with the skills, queue and pre-chat answers', () => {
    expect(chooseScript([billing, outage, moving], ['outage', 'Technical support'])?.id).toBe('o');
    expect(chooseScript([billing, outage, moving], ['Question about my bill charge'])?.id).toBe('b');
    expect(chooseScript([billing, outage, moving], ['I am moving house'])?.id).toBe('m');
  });

  it("takes a script made for the conversation's queue first, and never one made for other queues only", () => {
    const forTechnical = { ...outage, queueIds: ['technical'] };
    const forMoving = { ...moving, queueIds: ['moving'] };
    // "equipment" is a moving step's word too; the queue decides.
    expect(chooseScript([forMoving, billing, forTechnical], ['equipment moving'], 'technical')?.id).toBe('o');
    expect(chooseScript([forMoving, billing, forTechnical], ['moving house'], 'billing')?.id).toBe('b');
    expect(chooseScript([forMoving, forTechnical], ['hello'], 'billing')).toBeUndefined();
  });

  it('keeps the configured order when nothing matches, and has no answer without scripts', () => {
    expect(chooseScript([moving, billing], ['hello'])?.id).toBe('m');
    expect(chooseScript([], ['outage'])).toBeUndefined();
  });
});
