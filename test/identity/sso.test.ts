import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createIdentity, createSsoVerifier, type AgentLookup } from '../../services/identity/index.js';
import type { Agent } from '../../services/domain/index.js';
import { startLocalEntra, type LocalEntra } from '../support/local-entra.js';

const CLIENT_ID = '00000000-0000-0000-0000-00000000c1d0';
let entra: LocalEntra;

const agent = { id: 'agent-ana', name: 'Ana', roles: ['agent'], aadObjectId: 'oid-ana' } as Agent;
const agents: AgentLookup = {
  get: async (id) => (id === agent.id ? agent : null),
  getByAadObjectId: async (oid) => (oid === agent.aadObjectId ? agent : null),
};

beforeAll(async () => {
  entra = await startLocalEntra(CLIENT_ID);
});
afterAll(() => entra.close());

function identity(tenantId?: string) {
  const sso = createSsoVerifier({
    clientId: CLIENT_ID,
    tenantId,
    publicHost: 'contoso.example',
    jwksUrl: entra.jwksUrl,
    issuersFor: entra.issuersFor,
    clockToleranceSeconds: 0,
  });
  return createIdentity({ mode: 'teams', agents, sso });
}

async function refusal(p: Promise<unknown>): Promise<{ code: string; kind: string; message: string }> {
  const err = (await p.then(
    () => null,
    (e: unknown) => e,
  )) as { code: string; kind: string; message: string } | null;
  if (!err) throw new Error('expected the token to be refused');
  return err;
}

describe('Teams SSO tokens', () => {
  it('maps a valid token to the agent with that Entra object id', async () => {
    const token = await entra.token({ oid: 'oid-ana', name: 'Ana' });
    expect(await identity(entra.tenantId).authenticate(token)).toEqual({
      agentId: 'agent-ana',
      name: 'Ana',
      roles: ['agent'],
      agent: expect.objectContaining({ id: 'agent-ana', aadObjectId: 'oid-ana' }),
      // The token's own expiry (plus the clock tolerance): a live stream opened with it closes then.
      expiresAt: expect.any(Date),
    });
  });

  it('accepts the v1 audience form api://host/clientId', async () => {
    const token = await entra.token({ oid: 'oid-ana' }, { audience: `api://contoso.example/${CLIENT_ID}` });
    expect((await identity().authenticate(token)).agentId).toBe('agent-ana');
  });

  it('refuses a token signed by a key the tenant does not publish', async () => {
    const err = await refusal(
      identity().authenticate(await entra.token({ oid: 'oid-ana' }, { forgedKey: true })),
    );
    expect(err).toMatchObject({ code: 'auth.invalid_token', kind: 'unauthorized' });
    expect(err.message).toMatch(/signature/);
  });

  it('refuses an expired token', async () => {
    const err = await refusal(
      identity().authenticate(await entra.token({ oid: 'oid-ana' }, { expiresInSeconds: -120 })),
    );
    expect(err.message).toMatch(/expired/);
  });

  it('refuses a token that verified before once it has expired, and before its nbf', async () => {
    // Only Date is faked: the key set still comes over HTTP with real timers.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const start = Date.now();
      const sso = identity();
      const token = await entra.token({ oid: 'oid-ana' }, { expiresInSeconds: 600 });
      expect((await sso.authenticate(token)).agentId).toBe('agent-ana');
      vi.setSystemTime(start + 599_000);
      expect((await sso.authenticate(token)).agentId).toBe('agent-ana');
      vi.setSystemTime(start + 601_000);
      expect((await refusal(sso.authenticate(token))).message).toMatch(/expired/);

      vi.setSystemTime(start);
      const later = await entra.token({ oid: 'oid-ana', nbf: Math.floor(start / 1000) + 300 });
      expect((await refusal(sso.authenticate(later))).message).toMatch(/not valid yet/);
      vi.setSystemTime(start + 301_000);
      expect((await sso.authenticate(later)).agentId).toBe('agent-ana');
      vi.setSystemTime(start);
      expect((await refusal(sso.authenticate(later))).message).toMatch(/not valid yet/);
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses a token issued for another application', async () => {
    const err = await refusal(
      identity().authenticate(await entra.token({ oid: 'oid-ana' }, { audience: 'some-other-app' })),
    );
    expect(err.message).toMatch(/another application/);
  });

  it('refuses a token whose issuer is not the tenant it names', async () => {
    const err = await refusal(
      identity().authenticate(await entra.token({ oid: 'oid-ana' }, { issuer: 'https://evil.example/v2.0' })),
    );
    expect(err.message).toMatch(/issuer/);
  });

  it('refuses another tenant on a single-tenant installation', async () => {
    const token = await entra.token({ oid: 'oid-ana', tid: 'tenant-other' });
    expect((await identity().authenticate(token)).agentId).toBe('agent-ana');
    const err = await refusal(identity(entra.tenantId).authenticate(token));
    expect(err.message).toMatch(/tenant/);
  });

  it('refuses garbage and a missing token with 401 codes', async () => {
    expect(await refusal(identity().authenticate('not.a.jwt'))).toMatchObject({ kind: 'unauthorized' });
    expect(await refusal(identity().authenticate(undefined))).toMatchObject({ code: 'auth.missing_token' });
  });

  it('answers 403 for a valid token of someone who is not an agent here', async () => {
    const err = await refusal(identity().authenticate(await entra.token({ oid: 'oid-stranger' })));
    expect(err).toMatchObject({ code: 'auth.not_an_agent', kind: 'forbidden' });
  });
});
