import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppUnderTest } from '../../bot/eval/app.js';
import { runPersona, type AppUnderTest } from '../../bot/eval/harness.js';
import { PERSONAS } from '../../bot/eval/personas.js';

// A slice of the persona evaluation (`npm run eval` runs all of them) in every test run: scripted
// customers through the real app and the local Direct Line channel, one of each hard kind.

const GUARDED = [
  'human-please',
  'insists',
  'human-about-bill',
  'thanks-i',
  'typo-biling',
  'es-factura',
  'sat-billing-message',
  'router-light',
  'leaves-after-question',
];

let app: AppUnderTest & { close(): Promise<void> };
beforeAll(async () => {
  app = await startAppUnderTest({ DIRECT_LINE_SECRET: 'persona-test-secret-0123456789abcdef' });
});
afterAll(async () => {
  await app?.close();
});

describe('scripted customers reach their goal over Direct Line', () => {
  for (const id of GUARDED) {
    const persona = PERSONAS.find((p) => p.id === id)!;
    it(`${id} (${persona.kind}) reaches "${persona.goal}" with no prompt sent more than twice`, async () => {
      const r = await runPersona(app, persona);
      expect(r.reached, r.transcript.join('\n')).toBe(true);
      expect(r.maxRepeats, r.transcript.join('\n')).toBeLessThanOrEqual(2);
      if (persona.personFirst) expect(r.turnsToGoal).toBeLessThanOrEqual(4);
    }, 60_000);
  }
});
