import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Agent, AssignmentMethod, BasePresence } from '../domain/index.js';
import { chooseAgent } from './assignment.js';
import { isEligible } from './eligibility.js';
import { RoutingIndex } from './routing-index.js';
import { aConversation, anAgent, aQueue, aWorkstream } from '../../test/routing/factories.js';

// The index keeps each queue's agents in its method's order and takes the first eligible one; that
// must always be the agent a full scan of the queue's members would choose, whatever happened to
// the agents in between (reservations promised and settled, agents re-read from the store).

const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 9, minute));
const ids = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'];
// Mostly available, so most decisions have several agents to rank.
const presences: BasePresence[] = ['available', 'available', 'available', 'busy', 'away'];

const agentState = fc.record({
  id: fc.constantFrom(...ids),
  usedUnits: fc.constantFrom(0, 0, 20, 25, 50, 80, 100),
  chosenPresence: fc.constantFrom(...presences),
  queueIds: fc.subarray(['q1', 'q2'], { minLength: 1 }),
  lastAssignedAt: fc.option(fc.integer({ min: 0, max: 5 }).map(at), { nil: undefined }),
  lastItemEndedAt: fc.option(fc.integer({ min: 0, max: 5 }).map(at), { nil: undefined }),
});

const step = fc.oneof(
  agentState.map((s) => ({ kind: 'upsert' as const, s })),
  fc.record({
    kind: fc.constant('promise' as const),
    id: fc.constantFrom(...ids),
    units: fc.constantFrom(20, 25),
  }),
  fc.record({
    kind: fc.constant('settle' as const),
    id: fc.constantFrom(...ids),
    units: fc.constantFrom(20, 25),
  }),
  fc.record({
    kind: fc.constant('choose' as const),
    queue: fc.constantFrom('q1', 'q2'),
    stream: fc.constantFrom('ws_chat', 'ws_voice'),
    declinedBy: fc.subarray(ids, { maxLength: 2 }),
  }),
);

describe('routing index', () => {
  it('keeps what a reservation told it over an older read of the same agent', () => {
    const index = new RoutingIndex();
    const queue = aQueue({ id: 'q1', assignmentMethod: 'highest-capacity' });
    const stream = aWorkstream({ id: 'ws_chat', capacityCost: 25 });
    index.setConfiguration([queue], [stream]);
    const read = [
      anAgent({ id: 'a1', queueIds: ['q1'], version: 3 }),
      anAgent({ id: 'a2', queueIds: ['q1'], version: 1 }),
    ];
    // Between the resync's read and its end, a1 took 100 units (version 4) and a2 was re-read as it is.
    index.upsertAgent(anAgent({ id: 'a1', queueIds: ['q1'], usedUnits: 100, version: 4 }));
    index.setAgents(read);
    const item = aConversation({ id: 'c1', queueId: 'q1' });
    expect(index.choose(item, queue, stream)?.id).toBe('a2');
    expect(index.slots('q1', stream).free).toBe(4);
    // A read at least as new as what the index holds wins.
    index.setAgents([anAgent({ id: 'a1', queueIds: ['q1'], usedUnits: 0, version: 5 }), read[1]!]);
    expect(index.slots('q1', stream).free).toBe(8);
  });

  it('ranks an agent again when a promise in flight changes its free units', () => {
    const index = new RoutingIndex();
    const queue = aQueue({ id: 'q1', assignmentMethod: 'highest-capacity' });
    const stream = aWorkstream({ id: 'ws_chat', capacityCost: 25 });
    index.setConfiguration([queue], [stream]);
    index.upsertAgent(anAgent({ id: 'a1', queueIds: ['q1'] }));
    index.upsertAgent(anAgent({ id: 'a2', queueIds: ['q1'], usedUnits: 25 }));
    const item = aConversation({ id: 'c1', queueId: 'q1' });
    expect(index.choose(item, queue, stream)?.id).toBe('a1');
    index.promise('a1', 50);
    expect(index.choose(item, queue, stream)?.id).toBe('a2');
    index.settle('a1', 50);
    expect(index.choose(item, queue, stream)?.id).toBe('a1');
    index.upsertAgent(anAgent({ id: 'a1', queueIds: ['q1'], chosenPresence: 'away' }));
    expect(index.choose(item, queue, stream)?.id).toBe('a2');
  });

  it('chooses exactly the agent a full scan of the queue would, as agents change', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<AssignmentMethod>('highest-capacity', 'round-robin', 'least-active'),
        fc.array(agentState, { minLength: 2, maxLength: 6 }),
        fc.array(step, { minLength: 10, maxLength: 60 }),
        (method, initial, steps) => {
          const index = new RoutingIndex();
          const queues = ['q1', 'q2'].map((id) =>
            aQueue({ id, assignmentMethod: method, workstreamIds: ['ws_chat', 'ws_voice'] }),
          );
          const streams = [
            aWorkstream({ id: 'ws_chat', capacityCost: 25, allowedPresences: ['available'] }),
            aWorkstream({ id: 'ws_voice', capacityCost: 50, allowedPresences: ['available', 'busy'] }),
          ];
          index.setConfiguration(queues, streams);
          const agents = new Map<string, Agent>();
          const upsert = (s: (typeof initial)[number]) => {
            const agent = anAgent({ ...s });
            agents.set(agent.id, agent);
            index.upsertAgent(agent);
          };
          for (const s of initial) upsert(s);
          // What the index counts as used: stored units plus promises still in flight.
          const pending = new Map<string, number>();
          for (const st of steps) {
            if (st.kind === 'upsert') upsert(st.s);
            else if (st.kind === 'promise') {
              if (!agents.has(st.id)) continue;
              index.promise(st.id, st.units);
              pending.set(st.id, (pending.get(st.id) ?? 0) + st.units);
            } else if (st.kind === 'settle') {
              if (!agents.has(st.id)) continue;
              index.settle(st.id, st.units);
              pending.set(st.id, Math.max(0, (pending.get(st.id) ?? 0) - st.units));
            } else {
              const queue = queues.find((q) => q.id === st.queue)!;
              const stream = streams.find((w) => w.id === st.stream)!;
              const item = aConversation({ id: 'c1', queueId: queue.id, declinedBy: st.declinedBy });
              const seen = [...agents.values()]
                .filter((a) => a.queueIds.includes(queue.id))
                .map((a) => ({ ...a, usedUnits: a.usedUnits + (pending.get(a.id) ?? 0) }));
              const expected = chooseAgent(seen, [], queue, undefined, (a) =>
                isEligible(a, { queueId: queue.id, declinedBy: st.declinedBy }, stream),
              );
              expect(index.choose(item, queue, stream)?.id ?? null).toBe(expected?.id ?? null);
            }
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
