/** Dev-mode sessions signed with the installation's own secret, for tests that need one to end soon. */
import { SignJWT } from 'jose';
import type { TestServer } from './server.js';

/** A dev session for `agentId` that ends `seconds` from now (the server's own issue lasts 12 hours). */
export async function shortSession(server: TestServer, agentId: string, seconds: number): Promise<string> {
  const secret = await server.services.store
    .collection<{ id: string; value: string }>('install_secrets')
    .findOne({ id: 'dev-session' });
  if (!secret) throw new Error('the server has no dev session secret yet');
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(agentId)
    .setIssuer('switchboard-dev')
    .setAudience('switchboard-api')
    .setIssuedAt(now)
    .setExpirationTime(now + seconds)
    .sign(new TextEncoder().encode(secret.value));
}
