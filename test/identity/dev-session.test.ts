import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createDevSessions, DEV_SESSION_HOURS } from '../../services/identity/index.js';

// Local mode's session tokens. A token that verified is remembered (VerifiedTokens), so each case
// verifies it first and then checks that what is remembered does not outlive or widen it.

function sessions() {
  let at = Date.parse('2026-12-04T09:00:00Z');
  const secret = randomBytes(32);
  return {
    dev: createDevSessions(secret, () => new Date(at)),
    other: createDevSessions(randomBytes(32), () => new Date(at)),
    advance: (ms: number) => void (at += ms),
  };
}

async function refusal(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => null,
    (e: unknown) => e as { code: string; message: string },
  );
  if (!err) throw new Error('expected the session to be refused');
  expect(err.code).toBe('auth.invalid_token');
  return err.message;
}

describe('dev sessions', () => {
  it('names the agent it was issued to for its whole lifetime, and nobody once it has expired', async () => {
    const { dev, advance } = sessions();
    const token = await dev.issue('agent-ana');
    expect(await dev.verify(token)).toBe('agent-ana');
    advance(DEV_SESSION_HOURS * 3600_000 - 1000);
    expect(await dev.verify(token)).toBe('agent-ana');
    advance(1000);
    expect(await refusal(dev.verify(token))).toMatch(/expired/);
    advance(-1000);
    // Refused once, never remembered as good: it was dropped, then verified in full again.
    expect(await dev.verify(token)).toBe('agent-ana');
  });

  it('refuses a verified token with its signature or claims altered, and another installation’s', async () => {
    const { dev, other } = sessions();
    const token = await dev.issue('agent-ana');
    expect(await dev.verify(token)).toBe('agent-ana');
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const flipped = signature.slice(0, -2) + (signature.at(-2) === 'A' ? 'B' : 'A') + signature.at(-1);
    expect(await refusal(dev.verify(`${header}.${payload}.${flipped}`))).toMatch(/not a session/);
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'agent-boss' })).toString('base64url');
    expect(await refusal(dev.verify(`${header}.${forged}.${signature}`))).toMatch(/not a session/);
    expect(await refusal(other.verify(token))).toMatch(/not a session/);
    expect(await dev.verify(token)).toBe('agent-ana');
  });
});
