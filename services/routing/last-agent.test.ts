import { describe, expect, it } from 'vitest';
import type { Conversation } from '../domain/index.js';
import { lastAgentAmong } from './last-agent.js';

const now = new Date('2026-12-06T12:00:00Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
const past = (p: Partial<Conversation> & { id: string }, endedHoursAgo: number): Conversation =>
  ({
    workstreamId: 'ws_chat',
    status: 'closed',
    agentId: 'ann',
    ...p,
    timestamps: {
      createdAt: hoursAgo(endedHoursAgo + 1),
      acceptedAt: hoursAgo(endedHoursAgo + 0.5),
      wrapUpAt: hoursAgo(endedHoursAgo),
      closedAt: hoursAgo(endedHoursAgo),
      ...p.timestamps,
    },
  }) as Conversation;
const arriving = { id: 'c_now', workstreamId: 'ws_chat' };
const stream = { returnToLastAgentHours: 24 };

describe('the agent a returning customer goes to first', () => {
  it('is the one whose chat with them ended last, within the hours', () => {
    const chats = [past({ id: 'c1', agentId: 'ann' }, 20), past({ id: 'c2', agentId: 'bea' }, 3)];
    expect(lastAgentAmong(chats, arriving, stream, now)).toBe('bea');
    expect(lastAgentAmong(chats, arriving, { returnToLastAgentHours: 2 }, now)).toBeUndefined();
  });

  it('counts only chats an agent served and ended, in the same stream', () => {
    const chats = [
      past({ id: 'c1', agentId: 'ann' }, 5),
      past({ id: 'c2', agentId: 'bea', workstreamId: 'ws_teams' }, 1),
      past({ id: 'c3', agentId: 'cal', status: 'active' }, 1),
      past({ id: 'c4', agentId: 'dan', timestamps: { createdAt: hoursAgo(2), acceptedAt: undefined } }, 1),
      past({ id: 'c5', agentId: undefined }, 1),
      past({ id: 'c_now', agentId: 'eve' }, 0),
    ];
    expect(lastAgentAmong(chats, arriving, stream, now)).toBe('ann');
  });

  it('is nobody when the stream does not ask for it', () => {
    const chats = [past({ id: 'c1' }, 1)];
    expect(lastAgentAmong(chats, arriving, {}, now)).toBeUndefined();
    expect(lastAgentAmong(chats, arriving, { returnToLastAgentHours: 0 }, now)).toBeUndefined();
  });
});
