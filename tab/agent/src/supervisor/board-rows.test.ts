import { describe, expect, it } from 'vitest';
import type { SupervisorConversation } from '../types.js';
import { agentAway, sameRow } from './board-rows.js';

const row = (over: Partial<SupervisorConversation> = {}): SupervisorConversation => ({
  id: 'c1',
  status: 'active',
  agentId: 'agent_alex',
  agentName: 'Alex Rivera',
  agentPresence: 'available',
  agentPresenceLabel: 'Available',
  customerName: 'Dana',
  waitingSeconds: 40,
  handleSeconds: 120,
  sentiment: 'neutral',
  alerts: 1,
  lastAlert: { level: 'negative', at: '2026-01-01T10:00:00Z' },
  customerAwaySince: null,
  ...over,
});

describe('sameRow', () => {
  it('takes a row read again with only its clock moved on for the same one', () => {
    expect(sameRow(row(), row({ waitingSeconds: 42, handleSeconds: 125 }))).toBe(true);
  });

  it('sees any change of what the row shows, nested ones too', () => {
    expect(sameRow(row(), row({ agentPresence: 'offline', agentPresenceLabel: 'Offline' }))).toBe(false);
    expect(sameRow(row(), row({ lastAlert: { level: 'very negative', at: '2026-01-01T10:00:00Z' } }))).toBe(
      false,
    );
    expect(sameRow(row(), row({ customerAwaySince: '2026-01-01T10:05:00Z' }))).toBe(false);
    expect(sameRow(row(), row({ sentiment: 'negative' }))).toBe(false);
  });
});

describe('agentAway', () => {
  it("names an agent's absence in Teams' words, and nothing while they are there", () => {
    expect(agentAway(row({ agentPresence: 'offline', agentPresenceLabel: 'Offline' }))).toBe('Offline');
    expect(agentAway(row({ agentPresence: 'away', agentPresenceLabel: 'In training' }))).toBe('In training');
    expect(agentAway(row({ agentPresence: 'busy', agentPresenceLabel: 'Busy' }))).toBeUndefined();
    expect(agentAway(row({ agentId: undefined, agentPresence: null }))).toBeUndefined();
  });
});
