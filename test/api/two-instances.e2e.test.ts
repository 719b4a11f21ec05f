import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCongo, type RunningCongo } from '../store/congo.js';
import { runEscalationFlow } from './flow.js';
import { serverInstances } from './support/instances.js';

// The acceptance flow with two server processes (`services/main.ts`, as `npm start` runs it) on one
// MongoDB-compatible store (CongoDB): the customer chats with instance A, the agents and the
// supervisor work on instance B. Offers, messages, alerts and the customer's Direct Line stream all
// cross between them through the shared store.

const instances = serverInstances();
let congo: RunningCongo;

let a: string;
let b: string;

beforeAll(async () => {
  congo = await startCongo();
  const uri = congo.uri('switchboard_two_instances');
  // One after the other: the first loads the demo company into the empty store.
  a = (await instances.start('a', uri)).base;
  b = (await instances.start('b', uri)).base;
}, 330_000);

afterAll(async () => {
  await instances.stopAll();
  await congo?.stop();
});

describe('two server processes on one store', () => {
  it('runs the whole escalation with the customer on one instance and the agents on the other', async () => {
    expect((await (await fetch(`${a}/api/health`)).json()) as object).toMatchObject({ store: 'mongodb' });
    const { customerTexts } = await runEscalationFlow(a, b, 'dl_twoinstances01');
    expect(customerTexts.some((t) => t.includes('INTERNAL'))).toBe(false);
    expect(customerTexts).toEqual(
      expect.arrayContaining([expect.stringContaining('let me reset your line')]),
    );
  }, 180_000);
});
