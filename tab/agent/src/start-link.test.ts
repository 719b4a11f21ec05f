import { describe, expect, it } from 'vitest';
import { linkedConversation, startLink, withoutConversation } from './start-link.js';
import type { ConversationDetails, Participant } from './types.js';

const can = { writePublic: false, writeInternal: true, consult: false, transfer: false, supervise: false };
const chat = (
  over: Partial<ConversationDetails> & { participants?: Participant[] },
): ConversationDetails => ({
  id: 'conv_1',
  status: 'active',
  agentId: 'agent_alex',
  participants: [{ agentId: 'agent_alex', mode: 'primary' }],
  can,
  ...over,
});

describe('what the tab was opened to show', () => {
  it("opens the manifest's Supervisor tab on the supervisor view", () => {
    expect(startLink('?view=supervisor&inTeams=1')).toEqual({ view: 'supervisor' });
    expect(startLink('?view=agent&inTeams=1')).toEqual({ view: 'agent' });
  });

  it("reads Teams' page id where the address says no view", () => {
    expect(startLink('', { id: 'supervisor' })).toEqual({ view: 'supervisor' });
    expect(startLink('', { id: 'workspace' })).toEqual({ view: 'agent' });
    expect(startLink('', { id: 'about' })).toEqual({});
  });

  it("takes the card's conversation from the address, else from Teams' subEntityId", () => {
    expect(startLink('?view=agent&conversation=conv_9')).toEqual({
      view: 'agent',
      conversationId: 'conv_9',
      from: 'url',
    });
    expect(startLink('', { id: 'workspace', subPageId: 'conv_7' })).toEqual({
      view: 'agent',
      conversationId: 'conv_7',
      from: 'host',
    });
    expect(startLink('?conversation=', { subPageId: '' })).toEqual({});
  });

  it('drops the conversation from the address and keeps the rest', () => {
    expect(withoutConversation('https://cc.example/tab/?view=agent&conversation=conv_9&theme=dark#x')).toBe(
      '/tab/?view=agent&theme=dark#x',
    );
  });
});

describe('a linked conversation', () => {
  it("opens the agent's own chat as theirs", () => {
    expect(linkedConversation(chat({}), 'agent_alex')).toEqual({ kind: 'open', mode: 'primary' });
  });

  it('opens a consult or a monitored chat as what the person is in it', () => {
    const d = chat({
      participants: [
        { agentId: 'agent_alex', mode: 'primary' },
        { agentId: 'sam', mode: 'monitor' },
      ],
    });
    expect(linkedConversation(d, 'sam')).toEqual({ kind: 'open', mode: 'monitor' });
  });

  it('sends one whose chat is offered to them to the offer', () => {
    expect(linkedConversation(chat({ status: 'offered', participants: [] }), 'agent_alex')).toEqual({
      kind: 'offered',
    });
  });

  it('asks a supervisor of its queue before monitoring it, and says when it cannot be joined', () => {
    const supervised = { ...can, supervise: true };
    expect(linkedConversation(chat({ can: supervised }), 'sam')).toEqual({
      kind: 'supervise',
      joinable: true,
    });
    expect(linkedConversation(chat({ status: 'waiting', can: supervised }), 'sam')).toEqual({
      kind: 'supervise',
      joinable: false,
    });
  });

  it('opens a chat the agent had and closed read-only, and another agent’s chat not at all', () => {
    const closed = chat({
      status: 'closed',
      participants: [{ agentId: 'agent_alex', mode: 'primary', leftAt: '2026-12-05T10:00:00Z' }],
    });
    expect(linkedConversation(closed, 'agent_alex')).toEqual({ kind: 'open', mode: 'primary' });
    expect(linkedConversation(chat({}), 'agent_chen')).toEqual({ kind: 'not-yours' });
  });
});
