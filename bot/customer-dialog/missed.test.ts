import { describe, expect, it } from 'vitest';
import { LEGAL_COMMANDS, type ConversationStatus } from '../../services/domain/index.js';
import { decide, initialDialogState } from './decide.js';
import { missedHandover, missedUpdate, type AgentSide, type MissedWhen } from './missed.js';
import type { DialogInput, DialogState } from './types.js';

const state = (phase: DialogState['phase'], agentName?: string): DialogState => ({
  ...initialDialogState(),
  phase,
  agentName,
  agentServed: agentName !== undefined,
});

/** Steps the dialog with every update missed at `when` until there is none left. */
function catchUp(
  start: DialogState,
  side: AgentSide,
  when: MissedWhen,
): { inputs: DialogInput[]; end: DialogState } {
  const inputs: DialogInput[] = [];
  let current = start;
  for (let input = missedUpdate(current, side, when); input; input = missedUpdate(current, side, when)) {
    inputs.push(input);
    current = decide(current, input, { style: 'text', survey: [] }).state;
    if (inputs.length > 3) throw new Error('no end to the updates');
  }
  return { inputs, end: current };
}

describe('what the customer missed on the agent side', () => {
  it('a waiting customer whose conversation an agent took is told who joined, before the words', () => {
    const side: AgentSide = { status: 'active', agentName: 'Alex Rivera' };
    const { inputs, end } = catchUp(state('queued'), side, 'before messages');
    expect(inputs).toEqual([{ kind: 'agentJoined', name: 'Alex Rivera' }]);
    expect(end).toMatchObject({ phase: 'with-agent', agentName: 'Alex Rivera', agentServed: true });
    expect(missedUpdate(end, side, 'after messages')).toBeNull();
  });

  it('a customer with one agent whose conversation another took is told the first left, then who joined', () => {
    const side: AgentSide = { status: 'active', agentName: 'Farah Haddad' };
    const { inputs, end } = catchUp(state('with-agent', 'Alex Rivera'), side, 'before messages');
    expect(inputs.map((i) => i.kind)).toEqual(['agentLeft', 'agentJoined']);
    expect(end).toMatchObject({ phase: 'with-agent', agentName: 'Farah Haddad' });
  });

  it('a customer with the agent who still has it missed nothing', () => {
    const side: AgentSide = { status: 'active', agentName: 'Alex Rivera' };
    for (const when of ['before messages', 'after messages'] as const)
      expect(missedUpdate(state('with-agent', 'Alex Rivera'), side, when)).toBeNull();
  });

  it('a customer whose agent handed the conversation back to the queue is told after the words', () => {
    for (const status of ['waiting', 'offered'] as const) {
      const side: AgentSide = { status, agentName: 'Farah Haddad' };
      expect(missedUpdate(state('with-agent', 'Alex Rivera'), side, 'before messages')).toBeNull();
      const { inputs, end } = catchUp(state('with-agent', 'Alex Rivera'), side, 'after messages');
      expect(inputs).toEqual([{ kind: 'agentLeft' }]);
      expect(end.phase).toBe('queued');
      // Still waiting as the dialog says: nothing more.
      expect(missedUpdate(state('queued'), side, 'after messages')).toBeNull();
    }
  });

  it('an ended conversation is told last: a rating for a served customer, a goodbye for one never served', () => {
    for (const status of ['wrap-up', 'closed', 'abandoned'] as const) {
      const side: AgentSide = { status };
      expect(missedUpdate(state('with-agent', 'Alex Rivera'), side, 'before messages')).toBeNull();
      expect(catchUp(state('with-agent', 'Alex Rivera'), side, 'after messages').end.phase).toBe(
        'csat-rating',
      );
      expect(catchUp(state('queued'), side, 'after messages').end.phase).toBe('done');
    }
  });

  it('a waiting customer whose conversation an agent took and ended is told who joined, then the end and a rating', () => {
    for (const status of ['wrap-up', 'closed'] as const) {
      const side: AgentSide = { status, agentName: 'Alex Rivera' };
      const before = catchUp(state('queued'), side, 'before messages');
      expect(before.inputs).toEqual([{ kind: 'agentJoined', name: 'Alex Rivera' }]);
      const after = catchUp(before.end, side, 'after messages');
      expect(after.inputs).toEqual([{ kind: 'conversationEnded' }]);
      expect(after.end.phase).toBe('csat-rating');
    }
  });

  it('asks nothing of a dialog that is not waiting for or talking to an agent, or of a bot conversation', () => {
    const statuses = Object.keys(LEGAL_COMMANDS) as ConversationStatus[];
    for (const phase of [
      'helping',
      'routing',
      'message-left',
      'csat-rating',
      'csat-comment',
      'done',
    ] as const)
      for (const status of statuses)
        for (const when of ['before messages', 'after messages'] as const)
          expect(missedUpdate(state(phase), { status, agentName: 'Alex Rivera' }, when)).toBeNull();
    for (const phase of ['queued', 'with-agent'] as const)
      for (const when of ['before messages', 'after messages'] as const)
        expect(missedUpdate(state(phase, 'Alex Rivera'), { status: 'bot' }, when)).toBeNull();
  });
});

describe('missedHandover', () => {
  it('asks for the hand-over a waiting dialog promised while the conversation is still with the bot', () => {
    expect(missedHandover({ ...state('queued'), handover: 'unhelpful' }, 'bot')).toBe('unhelpful');
    expect(missedHandover(state('queued'), 'bot')).toBe('requested');
  });

  it('asks nothing once routing has it, or while the dialog promised nothing', () => {
    const routed: ConversationStatus[] = ['waiting', 'offered', 'active', 'wrap-up', 'closed', 'abandoned'];
    for (const status of routed) expect(missedHandover(state('queued'), status)).toBeNull();
    for (const phase of ['helping', 'routing', 'with-agent', 'done'] as const)
      expect(missedHandover(state(phase), 'bot')).toBeNull();
  });
});
