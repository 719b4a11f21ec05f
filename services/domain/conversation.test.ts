import { describe, expect, it } from 'vitest';
import type { Conversation, ConversationStatus } from './entities.js';
import {
  canApply,
  IllegalTransitionError,
  isEnded,
  LEGAL_COMMANDS,
  REOPEN_WINDOW_MS,
  transition,
  type ConversationCommand,
} from './conversation.js';

const t0 = new Date('2026-11-25T09:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

function aConversation(overrides: Partial<Conversation> = {}): Conversation {
  return {
    id: 'conv_1',
    channel: 'webchat',
    customerId: 'cust_1',
    workstreamId: 'ws_web',
    requiredSkills: [],
    context: { preChat: {}, portalNavigation: [], visitor: { authenticated: false }, custom: {} },
    status: 'bot',
    participants: [],
    declinedBy: [],
    transferCount: 0,
    lastMessageSeq: 0,
    lastActivityAt: t0,
    timestamps: { createdAt: t0 },
    version: 1,
    ...overrides,
  };
}

/** Walks a conversation through commands, as the services would. */
function run(start: Conversation, ...steps: Array<[ConversationCommand, number]>): Conversation {
  return steps.reduce((c, [cmd, s]) => transition(c, cmd, at(s)), start);
}

const escalate: ConversationCommand = { type: 'escalate', queueId: 'q_tech', skills: ['fiber'] };
const offerToAlex: ConversationCommand = { type: 'offer', agentId: 'alex', expiresAt: at(100) };

describe('conversation state machine', () => {
  it('escalates from the bot to the queue, recording the queue, skills and when the wait began', () => {
    const c = transition(aConversation(), escalate, at(10));
    expect(c.status).toBe('waiting');
    expect(c.queueId).toBe('q_tech');
    expect(c.requiredSkills).toEqual(['fiber']);
    expect(c.botOutcome).toBe('escalated');
    expect(c.timestamps.escalatedAt).toEqual(at(10));
    expect(c.timestamps.queuedAt).toEqual(at(10));
    expect(c.version).toBe(2);
  });

  it('offers a waiting item to one agent with an expiry', () => {
    const c = run(aConversation(), [escalate, 10], [offerToAlex, 20]);
    expect(c.status).toBe('offered');
    expect(c.agentId).toBe('alex');
    expect(c.offerExpiresAt).toEqual(at(100));
    expect(c.timestamps.offeredAt).toEqual(at(20));
  });

  it('makes the accepting agent the primary participant', () => {
    const c = run(
      aConversation(),
      [escalate, 10],
      [offerToAlex, 20],
      [{ type: 'accept', agentId: 'alex' }, 25],
    );
    expect(c.status).toBe('active');
    expect(c.participants).toEqual([{ agentId: 'alex', mode: 'primary', joinedAt: at(25) }]);
    expect(c.timestamps.acceptedAt).toEqual(at(25));
    expect(c.offerExpiresAt).toBeUndefined();
  });

  it('refuses an accept from an agent the item was not offered to', () => {
    const offered = run(aConversation(), [escalate, 10], [offerToAlex, 20]);
    expect(() => transition(offered, { type: 'accept', agentId: 'bea' }, at(21))).toThrow(
      IllegalTransitionError,
    );
  });

  it('lets an agent pick a waiting item straight from the open list', () => {
    const c = run(aConversation(), [escalate, 10], [{ type: 'accept', agentId: 'bea' }, 30]);
    expect(c.status).toBe('active');
    expect(c.agentId).toBe('bea');
    expect(c.timestamps.offeredAt).toEqual(at(30));
  });

  it.each(['reject', 'offer-timeout'] as const)(
    'returns the item to the queue on %s and remembers who declined',
    (type) => {
      const c = run(aConversation(), [escalate, 10], [offerToAlex, 20], [{ type, agentId: 'alex' }, 30]);
      expect(c.status).toBe('waiting');
      expect(c.agentId).toBeUndefined();
      expect(c.declinedBy).toEqual(['alex']);
      expect(c.timestamps.queuedAt).toEqual(at(10));
    },
  );

  it('returns a withdrawn offer to the queue without counting it as declined', () => {
    const withdraw = { type: 'offer-withdraw', agentId: 'alex' } as const;
    const c = run(aConversation(), [escalate, 10], [offerToAlex, 20], [withdraw, 30]);
    expect(c.status).toBe('waiting');
    expect(c.agentId).toBeUndefined();
    expect(c.declinedBy).toEqual([]);
    expect(c.timestamps.queuedAt).toEqual(at(10));
    // Back online, the same agent may be offered it again.
    expect(transition(c, offerToAlex, at(40)).agentId).toBe('alex');
  });

  it('does not offer again to an agent who declined', () => {
    const c = run(
      aConversation(),
      [escalate, 10],
      [offerToAlex, 20],
      [{ type: 'reject', agentId: 'alex' }, 30],
    );
    expect(() => transition(c, offerToAlex, at(31))).toThrow(/already declined/);
  });

  it('transfers to a queue: back to waiting, a new wait starts, the transfer is counted', () => {
    const active = run(
      aConversation(),
      [escalate, 10],
      [offerToAlex, 20],
      [{ type: 'accept', agentId: 'alex' }, 25],
    );
    const c = transition(active, { type: 'transfer', toQueueId: 'q_billing', skills: ['billing'] }, at(60));
    expect(c.status).toBe('waiting');
    expect(c.queueId).toBe('q_billing');
    expect(c.requiredSkills).toEqual(['billing']);
    expect(c.agentId).toBeUndefined();
    expect(c.transferCount).toBe(1);
    expect(c.timestamps.queuedAt).toEqual(at(60));
    expect(c.participants[0]?.leftAt).toEqual(at(60));
    // Alex passed it on, which is no refusal: anyone else first, and back to him when nobody else can.
    expect(c.declinedBy).toEqual([]);
    expect(c.handOver).toEqual({ fromAgentId: 'alex' });
  });

  it('remembers whom a transfer went to until that offer ends, and who handed it on until someone takes it', () => {
    const active = run(aConversation(), [escalate, 10], [{ type: 'accept', agentId: 'alex' }, 20]);
    const offered = transition(active, { type: 'transfer', toAgentId: 'bea', expiresAt: at(120) }, at(60));
    expect(offered.handOver).toEqual({ fromAgentId: 'alex', toAgentId: 'bea' });
    const declined = transition(offered, { type: 'reject', agentId: 'bea' }, at(61));
    expect(declined.handOver).toEqual({ fromAgentId: 'alex' });
    expect(declined.declinedBy).toEqual(['bea']);
    const back = run(
      declined,
      [{ type: 'offer', agentId: 'alex', expiresAt: at(200) }, 62],
      [{ type: 'accept', agentId: 'alex' }, 63],
    );
    expect(back.handOver).toBeUndefined();
    expect(back.declinedBy).toEqual([]);
  });

  it("ends a consultant's part when they take the chat over, so handing it on leaves them out", () => {
    const consulted = run(aConversation(), [escalate, 10], [{ type: 'accept', agentId: 'alex' }, 20]);
    consulted.participants = [
      ...consulted.participants,
      { agentId: 'bea', mode: 'consult', joinedAt: at(30) },
    ];
    const offered = transition(consulted, { type: 'transfer', toAgentId: 'bea', expiresAt: at(120) }, at(40));
    // Offered is not taken: she is still consulting.
    expect(offered.participants.find((p) => p.agentId === 'bea')).not.toHaveProperty('leftAt');
    const taken = transition(offered, { type: 'accept', agentId: 'bea' }, at(50));
    expect(taken.participants.filter((p) => p.agentId === 'bea')).toEqual([
      { agentId: 'bea', mode: 'consult', joinedAt: at(30), leftAt: at(50) },
      { agentId: 'bea', mode: 'primary', joinedAt: at(50) },
    ]);
    const handedBack = transition(taken, { type: 'transfer', toAgentId: 'alex', expiresAt: at(200) }, at(60));
    expect(handedBack.participants.filter((p) => p.agentId === 'bea' && !p.leftAt)).toEqual([]);
  });

  it('ends every part when the customer leaves during a transfer, as a close does', () => {
    const consulted = run(aConversation(), [escalate, 10], [{ type: 'accept', agentId: 'alex' }, 20]);
    consulted.participants = [
      ...consulted.participants,
      { agentId: 'bea', mode: 'consult', joinedAt: at(30) },
    ];
    const offered = transition(consulted, { type: 'transfer', toAgentId: 'cid', expiresAt: at(120) }, at(40));
    const gone = transition(offered, { type: 'abandon' }, at(50));
    expect(gone.participants.every((p) => p.leftAt)).toBe(true);
    expect(gone.participants.find((p) => p.agentId === 'bea')?.leftAt).toEqual(at(50));
  });

  it.each(['waiting', 'offered'] as const)(
    'lets a supervisor close a chat that is %s, recorded as closed by them, not as abandoned',
    (status) => {
      const start =
        status === 'waiting'
          ? run(aConversation(), [escalate, 10])
          : run(aConversation(), [escalate, 10], [offerToAlex, 20]);
      const c = transition(
        start,
        { type: 'close', by: 'supervisor', disposition: 'force-closed: spam' },
        at(50),
      );
      expect(c).toMatchObject({ status: 'closed', endedBy: 'supervisor', disposition: 'force-closed: spam' });
      expect(c.agentId).toBeUndefined();
      expect(c.offerExpiresAt).toBeUndefined();
      expect(c.timestamps.closedAt).toEqual(at(50));
      expect(c.timestamps.abandonedAt).toBeUndefined();
      // Only a supervisor: the customer leaving a queued chat abandons it.
      expect(() => transition(start, { type: 'close', by: 'customer' }, at(50))).toThrow(/only a supervisor/);
    },
  );

  it('transfers to an agent: offered to them directly', () => {
    const active = run(
      aConversation(),
      [escalate, 10],
      [offerToAlex, 20],
      [{ type: 'accept', agentId: 'alex' }, 25],
    );
    const c = transition(active, { type: 'transfer', toAgentId: 'bea', expiresAt: at(120) }, at(60));
    expect(c.status).toBe('offered');
    expect(c.agentId).toBe('bea');
    expect(c.transferCount).toBe(1);
  });

  it('refuses a transfer to the agent who already has it', () => {
    const active = run(
      aConversation(),
      [escalate, 10],
      [offerToAlex, 20],
      [{ type: 'accept', agentId: 'alex' }, 25],
    );
    expect(() =>
      transition(active, { type: 'transfer', toAgentId: 'alex', expiresAt: at(90) }, at(60)),
    ).toThrow(IllegalTransitionError);
  });

  it('moves a queued item to another queue on overflow without resetting its wait', () => {
    const c = run(aConversation(), [escalate, 10], [{ type: 'requeue', queueId: 'q_overflow' }, 40]);
    expect(c.status).toBe('waiting');
    expect(c.queueId).toBe('q_overflow');
    expect(c.timestamps.queuedAt).toEqual(at(10));
  });

  it('ends into wrap-up and closes with a disposition, keeping the agent for a reopen', () => {
    const c = run(
      aConversation(),
      [escalate, 10],
      [{ type: 'accept', agentId: 'alex' }, 20],
      [{ type: 'end', by: 'agent' }, 300],
      [{ type: 'close', by: 'agent', disposition: 'resolved' }, 360],
    );
    expect(c.status).toBe('closed');
    expect(c.disposition).toBe('resolved');
    expect(c.agentId).toBe('alex');
    expect(c.timestamps.wrapUpAt).toEqual(at(300));
    expect(c.timestamps.closedAt).toEqual(at(360));
    expect(c.participants.every((p) => p.leftAt)).toBe(true);
    expect(c.endedBy).toBe('agent');
  });

  it('keeps who ended it, until the agent reopens it', () => {
    const ended = run(
      aConversation(),
      [escalate, 10],
      [{ type: 'accept', agentId: 'alex' }, 20],
      [{ type: 'end', by: 'customer' }, 300],
      [{ type: 'close', by: 'agent', disposition: 'Customer left' }, 360],
    );
    expect(ended.endedBy).toBe('customer');
    const reopened = transition(ended, { type: 'reopen', agentId: 'alex' }, at(400));
    expect(reopened.endedBy).toBeUndefined();
    expect(transition(reopened, { type: 'end', by: 'agent' }, at(500)).endedBy).toBe('agent');
  });

  it('records a bot resolution when the bot closes it, and an abandon when the customer walks away', () => {
    expect(transition(aConversation(), { type: 'close', by: 'bot' }, at(5)).botOutcome).toBe('resolved');
    expect(transition(aConversation(), { type: 'close', by: 'customer' }, at(5)).botOutcome).toBe(
      'abandoned',
    );
    expect(
      transition(aConversation(), { type: 'close', by: 'customer', botOutcome: 'resolved' }, at(5))
        .botOutcome,
    ).toBe('resolved');
  });

  it.each(['waiting', 'offered'] as const)('abandons from %s when the customer leaves', (status) => {
    const start =
      status === 'waiting'
        ? run(aConversation(), [escalate, 10])
        : run(aConversation(), [escalate, 10], [offerToAlex, 20]);
    const c = transition(start, { type: 'abandon' }, at(50));
    expect(c.status).toBe('abandoned');
    expect(c.timestamps.abandonedAt).toEqual(at(50));
    expect(c.agentId).toBeUndefined();
  });

  it('keeps a disconnected mark while someone waits on the customer, and drops it when the chat ends', () => {
    const away = { customerAwaySince: at(30) };
    const waiting = { ...run(aConversation(), [escalate, 10]), ...away };
    const active = transition(waiting, { type: 'accept', agentId: 'alex' }, at(40));
    expect(active.customerAwaySince).toEqual(at(30));
    expect(transition(active, { type: 'end', by: 'agent' }, at(50)).customerAwaySince).toBeUndefined();
    expect(transition(waiting, { type: 'abandon' }, at(50)).customerAwaySince).toBeUndefined();
  });

  it('reopens a closed conversation for its own agent within 24 hours', () => {
    const closed = run(
      aConversation(),
      [escalate, 10],
      [{ type: 'accept', agentId: 'alex' }, 20],
      [{ type: 'end', by: 'agent' }, 300],
      [{ type: 'close', by: 'agent' }, 360],
    );
    const c = transition(closed, { type: 'reopen', agentId: 'alex' }, at(360 + 3600));
    expect(c.status).toBe('active');
    expect(c.timestamps.closedAt).toBeUndefined();
    expect(() => transition(closed, { type: 'reopen', agentId: 'bea' }, at(400))).toThrow(/only its agent/);
    expect(() =>
      transition(
        closed,
        { type: 'reopen', agentId: 'alex' },
        new Date(at(360).getTime() + REOPEN_WINDOW_MS + 1),
      ),
    ).toThrow(/24 hours/);
  });

  it('does not change the conversation it was given', () => {
    const start = aConversation();
    const snapshot = structuredClone(start);
    transition(start, escalate, at(1));
    expect(start).toEqual(snapshot);
  });

  // Every (state, command) pair outside LEGAL_COMMANDS must be refused with a typed error.
  const allCommands: ConversationCommand[] = [
    escalate,
    offerToAlex,
    { type: 'accept', agentId: 'alex' },
    { type: 'reject', agentId: 'alex' },
    { type: 'offer-timeout', agentId: 'alex' },
    { type: 'offer-withdraw', agentId: 'alex' },
    { type: 'requeue', queueId: 'q2' },
    { type: 'transfer', toQueueId: 'q2' },
    { type: 'end', by: 'agent' },
    { type: 'close', by: 'agent' },
    { type: 'abandon' },
    { type: 'reopen', agentId: 'alex' },
  ];
  const statuses = Object.keys(LEGAL_COMMANDS) as ConversationStatus[];
  const illegal = statuses.flatMap((s) =>
    allCommands.filter((cmd) => !canApply(s, cmd.type)).map((cmd) => [s, cmd.type, cmd] as const),
  );

  it.each(illegal)('refuses %s → %s with conversation.illegal_transition', (status, _type, cmd) => {
    const c = aConversation({ status, agentId: 'alex', timestamps: { createdAt: t0, closedAt: at(1) } });
    try {
      transition(c, cmd, at(2));
      expect.unreachable('the transition should have been refused');
    } catch (e) {
      expect(e).toBeInstanceOf(IllegalTransitionError);
      expect((e as IllegalTransitionError).code).toBe('conversation.illegal_transition');
      expect((e as IllegalTransitionError).kind).toBe('conflict');
    }
  });

  it('has nothing to do with an abandoned conversation', () => {
    expect(LEGAL_COMMANDS.abandoned).toEqual([]);
    expect(illegal.length).toBeGreaterThan(50);
  });
});

describe('isEnded', () => {
  it('is true for closed and abandoned conversations only', () => {
    const statuses = Object.keys(LEGAL_COMMANDS) as ConversationStatus[];
    expect(statuses.filter(isEnded)).toEqual(['closed', 'abandoned']);
  });
});
