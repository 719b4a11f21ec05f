import { describe, expect, it } from 'vitest';
import {
  assertAccess,
  canRead,
  canSupervise,
  canWrite,
  permissionsOf,
  relationTo,
  type Viewer,
} from './access.js';
import type { Conversation } from './entities.js';

const at = new Date('2026-01-01T10:00:00Z');
function aConversation(over: Partial<Conversation> = {}): Conversation {
  return {
    id: 'c1',
    channel: 'webchat',
    customerId: 'cu1',
    workstreamId: 'ws1',
    queueId: 'billing',
    requiredSkills: [],
    context: { preChat: {}, portalNavigation: [], visitor: { authenticated: false }, custom: {} },
    status: 'active',
    participants: [{ agentId: 'ann', mode: 'primary', joinedAt: at }],
    agentId: 'ann',
    declinedBy: [],
    transferCount: 0,
    lastMessageSeq: 0,
    lastActivityAt: at,
    timestamps: { createdAt: at },
    version: 1,
    ...over,
  };
}
const agent = (agentId: string, queueIds: string[] = [], roles: Viewer['roles'] = ['agent']): Viewer => ({
  agentId,
  roles,
  queueIds,
});

describe('conversation access', () => {
  it('lets the owner read and write publicly and internally', () => {
    const c = aConversation();
    expect(relationTo(agent('ann'), c)).toBe('owner');
    expect(canWrite(agent('ann'), c, 'public')).toBe(true);
    expect(canWrite(agent('ann'), c, 'internal')).toBe(true);
  });

  it('lets the agent it is offered to read it, and act in it only once they accept', () => {
    // Transferred to Ben, who is not in its queue: he reads to decide; nothing is his to write yet.
    const c = aConversation({ status: 'offered', agentId: 'ben' });
    expect(relationTo(agent('ben'), c)).toBe('offered');
    expect(canRead(agent('ben'), c)).toBe(true);
    expect(canWrite(agent('ben'), c, 'internal')).toBe(false);
    expect(canWrite(agent('ben'), c, 'public')).toBe(false);
    expect(permissionsOf(agent('ben'), c)).toEqual({
      writePublic: false,
      writeInternal: false,
      consult: false,
      transfer: false,
      supervise: false,
    });
  });

  it('keeps a consultant who is offered the chat (by transfer) a consultant until they accept', () => {
    const c = aConversation({
      status: 'offered',
      agentId: 'ben',
      participants: [
        { agentId: 'ann', mode: 'primary', joinedAt: at, leftAt: at },
        { agentId: 'ben', mode: 'consult', joinedAt: at },
      ],
    });
    expect(relationTo(agent('ben'), c)).toBe('consult');
    expect(canWrite(agent('ben'), c, 'internal')).toBe(true);
    expect(canWrite(agent('ben'), c, 'public')).toBe(false);
  });

  it('keeps an agent of another queue out entirely', () => {
    const c = aConversation();
    expect(canRead(agent('bob', ['tech']), c)).toBe(false);
    expect(() => assertAccess(canRead(agent('bob', ['tech']), c), 'read', c.id)).toThrow(/may not read/);
  });

  it('lets a member of the queue see it but not write to the customer', () => {
    const c = aConversation();
    expect(relationTo(agent('bob', ['billing']), c)).toBe('queue-member');
    expect(canRead(agent('bob', ['billing']), c)).toBe(true);
    expect(canWrite(agent('bob', ['billing']), c, 'public')).toBe(false);
    expect(canWrite(agent('bob', ['billing']), c, 'internal')).toBe(false);
  });

  it('lets a consultant write internally only, until they leave', () => {
    const joined = aConversation({
      participants: [
        { agentId: 'ann', mode: 'primary', joinedAt: at },
        { agentId: 'cat', mode: 'consult', joinedAt: at },
      ],
    });
    expect(canWrite(agent('cat'), joined, 'internal')).toBe(true);
    expect(canWrite(agent('cat'), joined, 'public')).toBe(false);
    const left = aConversation({
      participants: [
        { agentId: 'ann', mode: 'primary', joinedAt: at },
        { agentId: 'cat', mode: 'consult', joinedAt: at, leftAt: at },
      ],
    });
    expect(canRead(agent('cat'), left)).toBe(false);
  });

  it('gives supervisors their own queues only', () => {
    const c = aConversation();
    expect(canSupervise(agent('sue', ['billing'], ['agent', 'supervisor']), c)).toBe(true);
    expect(canSupervise(agent('sue', ['tech'], ['agent', 'supervisor']), c)).toBe(false);
    expect(canRead(agent('sue', ['tech'], ['supervisor']), c)).toBe(false);
  });

  it('leaves a supervisor who monitors or consults a supervisor: notes, transfer, force close', () => {
    const sue = agent('sue', ['billing'], ['agent', 'supervisor']);
    for (const mode of ['monitor', 'consult'] as const) {
      const c = aConversation({
        participants: [
          { agentId: 'ann', mode: 'primary', joinedAt: at },
          { agentId: 'sue', mode, joinedAt: at },
        ],
      });
      expect(relationTo(sue, c)).toBe(mode);
      expect(canSupervise(sue, c)).toBe(true);
      expect(canWrite(sue, c, 'internal')).toBe(true);
      expect(canWrite(sue, c, 'public')).toBe(false);
    }
    // A consultant without the role transfers nothing and supervises nothing.
    const withCat = aConversation({
      participants: [
        { agentId: 'ann', mode: 'primary', joinedAt: at },
        { agentId: 'cat', mode: 'consult', joinedAt: at },
      ],
    });
    expect(permissionsOf(agent('cat'), withCat)).toEqual({
      writePublic: false,
      writeInternal: true,
      consult: false,
      transfer: false,
      supervise: false,
    });
  });

  it('offers a transfer only while active, a consult until the conversation closes', () => {
    const ann = agent('ann');
    expect(permissionsOf(ann, aConversation({ status: 'active' }))).toMatchObject({
      transfer: true,
      consult: true,
    });
    expect(permissionsOf(ann, aConversation({ status: 'wrap-up' }))).toMatchObject({
      transfer: false,
      consult: true,
    });
    expect(permissionsOf(ann, aConversation({ status: 'closed' }))).toMatchObject({
      transfer: false,
      consult: false,
    });
  });

  it('does not treat a waiting item as owned by the agent it was last offered to', () => {
    const c = aConversation({ status: 'waiting', agentId: 'ann' });
    expect(relationTo(agent('ann'), c)).toBe('none');
  });

  it('keeps a chat that is over its agent’s only while they are in its queue', () => {
    for (const status of ['closed', 'abandoned'] as const) {
      const over = aConversation({ status });
      expect(relationTo(agent('ann', ['billing']), over)).toBe('owner');
      expect(relationTo(agent('ann', ['sales']), over)).toBe('none');
      expect(canRead(agent('ann', ['sales'], ['agent', 'admin']), over)).toBe(true);
    }
    for (const status of ['active', 'wrap-up'] as const) {
      expect(relationTo(agent('ann', ['sales']), aConversation({ status }))).toBe('owner');
    }
  });
});
