import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Agent, Conversation } from '../../services/domain/index.js';
import { isDomainError } from '../../services/domain/index.js';
import { makeWorld } from './harness.js';

// Model-free property test of the real router on the embedded store: whatever agents and customers
// do, in whatever order, capacity bookkeeping stays exact and no item is with two agents.

const AGENTS = ['ann', 'bea', 'cal'];
const CONVS = ['c0', 'c1', 'c2', 'c3', 'c4', 'c5'];

type Op =
  | { kind: 'enqueue' | 'abandon' | 'end' | 'close' | 'reopen'; conv: number; agent: number }
  | { kind: 'accept' | 'reject' | 'pick'; conv: number; agent: number }
  | { kind: 'transferToAgent'; conv: number; agent: number }
  | { kind: 'presence'; agent: number; presence: 'available' | 'offline' | 'busy-dnd' }
  | { kind: 'wait'; seconds: number }
  /** The natural next step for the conversation's state, so runs get deep into the lifecycle. */
  | { kind: 'progress'; conv: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({ kind: fc.constant('progress' as const), conv: fc.nat(CONVS.length - 1) }),
    weight: 4,
  },
  fc.record({
    kind: fc.constantFrom(
      'enqueue',
      'abandon',
      'end',
      'close',
      'reopen',
      'accept',
      'reject',
      'pick',
      'transferToAgent',
    ),
    conv: fc.nat(CONVS.length - 1),
    agent: fc.nat(AGENTS.length - 1),
  }) as fc.Arbitrary<Op>,
  fc.record({
    kind: fc.constant('presence' as const),
    agent: fc.nat(AGENTS.length - 1),
    presence: fc.constantFrom('available' as const, 'offline' as const, 'busy-dnd' as const),
  }),
  fc.record({ kind: fc.constant('wait' as const), seconds: fc.constantFrom(5, 31) }),
);

describe('routing invariants under random operations', () => {
  it('keeps used units equal to the holds of the items each agent really has, within capacity', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 10, maxLength: 40 }), async (ops) => {
        const world = await makeWorld({
          queues: [{ id: 'q_general', assignmentMethod: 'round-robin' }],
          workstreams: [
            { id: 'ws_chat', fallbackQueueId: 'q_general', capacityCost: 40, offerTimeoutSeconds: 30 },
          ],
          agents: AGENTS.map((id) => ({ id })),
        });
        try {
          for (const id of CONVS) await world.newConversation(id);
          for (const o of ops) {
            const conv = 'conv' in o ? CONVS[o.conv]! : '';
            const agent = 'agent' in o ? AGENTS[o.agent]! : '';
            try {
              switch (o.kind) {
                case 'enqueue':
                  await world.router.enqueue(conv);
                  break;
                case 'abandon':
                  await world.router.abandon(conv);
                  break;
                case 'accept':
                  await world.router.accept(conv, agent);
                  break;
                case 'reject':
                  await world.router.reject(conv, agent);
                  break;
                case 'pick':
                  await world.router.pick(conv, agent);
                  break;
                case 'end':
                  await world.router.end(conv, 'agent');
                  break;
                case 'close':
                  await world.router.close(conv, 'agent');
                  break;
                case 'reopen':
                  await world.router.reopen(conv, agent);
                  break;
                case 'transferToAgent':
                  await world.router.transfer(
                    conv,
                    { toAgentId: agent },
                    (await world.conversation(conv)).agentId ?? agent,
                  );
                  break;
                case 'presence':
                  await world.router.presence.set(agent, o.presence);
                  await world.advance(0);
                  break;
                case 'wait':
                  await world.advance(o.seconds);
                  break;
                case 'progress': {
                  const c = await world.conversation(conv);
                  if (c.status === 'bot') await world.router.enqueue(conv);
                  else if (c.status === 'offered') await world.router.accept(conv, c.agentId!);
                  else if (c.status === 'active') await world.router.end(conv, 'agent');
                  else if (c.status === 'wrap-up') await world.router.close(conv, 'agent');
                  else if (c.status === 'closed') await world.router.reopen(conv, c.agentId!);
                  else if (c.status === 'waiting')
                    await world.router.pick(conv, AGENTS[o.conv % AGENTS.length]!);
                  break;
                }
              }
            } catch (e) {
              // Refusals (illegal transitions, no capacity, not offered to you …) are part of the game.
              if (!isDomainError(e)) throw e;
            }
          }
          await world.advance(0);
          const agents = await world.store
            .collection<Agent & { capacityHolds?: Record<string, { units: number }> }>('agents')
            .find({});
          const convs = await world.store.collection<Conversation>('conversations').find({});
          for (const a of agents) {
            const holds = Object.keys(a.capacityHolds ?? {}).sort();
            const really = convs
              .filter((c) => c.agentId === a.id && ['offered', 'active', 'wrap-up'].includes(c.status))
              .map((c) => c.id)
              .sort();
            expect({ agent: a.id, holds }).toEqual({ agent: a.id, holds: really });
            expect(a.usedUnits).toBe(40 * holds.length);
            expect(a.usedUnits).toBeLessThanOrEqual(a.capacity);
            expect(a.activeItems).toBe(holds.length);
          }
        } finally {
          await world.close();
        }
      }),
      { numRuns: 25, seed: 20261125 },
    );
  }, 120_000);
});
