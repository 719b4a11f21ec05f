import { describe, expect, it } from 'vitest';
import { Reachability, type TopologyView } from './reachability.js';

function topology(types: string[], error?: string): TopologyView {
  return {
    servers: new Map(types.map((type, i) => [`db${i}:27017`, { type }])),
    ...(error ? { error: { message: error } } : {}),
  };
}

describe('reachability of the database', () => {
  it('stays reachable while a server takes writes, whatever the others do', () => {
    const reach = new Reachability();
    // A replica set with one secondary down: the primary serves, health must not flap.
    reach.observe(topology(['RSPrimary', 'RSSecondary', 'Unknown'], 'connect ECONNREFUSED db2:27017'));
    expect(reach.failure).toBeNull();
  });

  it('is out of reach with secondaries alone (an election) or no server known, and back with a primary', () => {
    const reach = new Reachability();
    reach.observe(topology(['RSSecondary', 'RSSecondary']));
    expect(reach.failure).toMatchObject({ code: 'store.unavailable', kind: 'unavailable' });
    expect(reach.failure?.message).toMatch(/no server that takes writes/);
    reach.observe(topology(['Unknown'], 'connect ECONNREFUSED db0:27017'));
    expect(reach.failure?.message).toMatch(/database cannot be reached: connect ECONNREFUSED/);
    reach.observe(topology(['RSPrimary', 'RSSecondary']));
    expect(reach.failure).toBeNull();
  });

  it('turns only errors of an unreachable database into a refusal', () => {
    const reach = new Reachability();
    const wrong = new Error('E2 bad query');
    expect(reach.refusal(wrong)).toBe(wrong);
    expect(reach.failure).toBeNull();
    const cut = Object.assign(new Error('This socket has been ended by the other party'), { code: 'EPIPE' });
    expect(reach.refusal(cut)).toMatchObject({ code: 'store.unavailable' });
    expect(reach.failure).not.toBeNull();
    reach.reached();
    expect(reach.failure).toBeNull();
  });
});
