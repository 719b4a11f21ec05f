import { describe, expect, it } from 'vitest';
import { handedOnWords, wasHandedOn } from './handed-on.js';
import type { ConversationDetails } from './types.js';

const read = (over: Partial<ConversationDetails>): ConversationDetails => ({
  id: 'c1',
  status: 'active',
  agentId: 'alex',
  queueName: 'Technical support',
  participants: [{ agentId: 'alex', name: 'Alex Rivera', mode: 'primary' }],
  ...over,
});
const alexLeft = {
  agentId: 'alex',
  name: 'Alex Rivera',
  mode: 'primary' as const,
  leftAt: '2026-12-05T15:00:00Z',
};

describe('a chat handed on elsewhere', () => {
  it('is still the agent’s while it is theirs, ended or closed', () => {
    for (const status of ['active', 'wrap-up', 'closed', 'offered']) {
      expect(wasHandedOn(read({ status }), 'alex')).toBe(false);
    }
  });

  it('was handed on once it is offered to or taken by someone else, or waits in a queue', () => {
    const offered = read({ status: 'offered', agentId: 'chen', participants: [alexLeft] });
    expect(wasHandedOn(offered, 'alex')).toBe(true);
    expect(handedOnWords(offered)).toBe('Transferred to another agent');
    const taken = read({
      agentId: 'chen',
      participants: [alexLeft, { agentId: 'chen', name: 'Chen Wei', mode: 'primary' }],
    });
    expect(wasHandedOn(taken, 'alex')).toBe(true);
    expect(handedOnWords(taken)).toBe('Transferred to Chen Wei');
    const queued = read({ status: 'waiting', agentId: undefined, participants: [alexLeft] });
    expect(wasHandedOn(queued, 'alex')).toBe(true);
    expect(handedOnWords(queued)).toBe('Transferred to the Technical support queue');
    expect(handedOnWords(null)).toBe('Transferred to someone else');
  });

  it('leaves a consultant or monitor who is still in it on it', () => {
    const consulting = read({
      agentId: 'chen',
      participants: [alexLeft, { agentId: 'alex', name: 'Alex Rivera', mode: 'consult' }],
    });
    expect(wasHandedOn(consulting, 'alex')).toBe(false);
  });
});
