import { describe, expect, it } from 'vitest';
import type { SupervisorConversation } from '../types.js';
import { bannersOf, type BannerInput } from './alert-banners.js';

const row = (id: string, over: Partial<SupervisorConversation> = {}): SupervisorConversation => ({
  id,
  status: 'active',
  customerName: `Customer ${id}`,
  sentiment: 'very negative',
  alerts: 1,
  lastAlert: { level: 'very negative', at: `2026-12-07T10:0${id}:00.000Z` },
  ...over,
});
const input = (over: Partial<BannerInput>): BannerInput => ({
  rows: [],
  complete: true,
  live: new Map(),
  dismissed: new Map(),
  threshold: 'negative',
  meId: 'supervisor_sam',
  queueName: () => 'Technical support',
  ...over,
});

describe('the supervisor banners', () => {
  it('come from the rows, newest first, and all of them', () => {
    const rows = ['1', '2', '3', '4', '5', '6', '7'].map((id) => row(id));
    const out = bannersOf(input({ rows }));
    expect(out.map((b) => b.conversationId)).toEqual(['7', '6', '5', '4', '3', '2', '1']);
  });

  it('go when the chat recovers above the threshold, is not on a complete board, or was dismissed', () => {
    const rows = [row('1', { sentiment: 'slightly positive' }), row('2')];
    expect(bannersOf(input({ rows })).map((b) => b.conversationId)).toEqual(['2']);
    const live = new Map([
      [
        '9',
        {
          about: {
            conversationId: '9',
            customerName: 'X',
            level: 'negative',
            recipientRole: 'supervisor' as const,
            at: '2026-12-07T10:09:00.000Z',
          },
          receivedAt: 0,
        },
      ],
    ]);
    expect(bannersOf(input({ rows, live })).map((b) => b.conversationId)).toEqual(['2']);
    expect(bannersOf(input({ rows, live, complete: false })).map((b) => b.conversationId)).toEqual([
      '9',
      '2',
    ]);
    const dismissed = new Map([['2', '2026-12-07T10:02:00.000Z']]);
    expect(bannersOf(input({ rows, dismissed }))).toEqual([]);
    const later = [row('2', { alerts: 2, lastAlert: { level: 'negative', at: '2026-12-07T10:05:00.000Z' } })];
    expect(bannersOf(input({ rows: later, dismissed }))[0]).toMatchObject({ conversationId: '2', count: 2 });
  });

  it('show nothing when the supervisor turned alerts off', () => {
    expect(bannersOf(input({ rows: [row('1')], threshold: 'off' }))).toEqual([]);
  });
});
