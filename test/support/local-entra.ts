import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';

/**
 * A stand-in for Entra ID: a key set served over real HTTP and a signer for SSO tokens, so the real
 * validation code (signature via the JWKS, issuer, audience, expiry) runs in tests.
 */
export interface LocalEntra {
  jwksUrl: string;
  tenantId: string;
  issuersFor(tenantId: string): string[];
  /** A token as Teams would hand the tab; `claims` and `opts` bend it for denial cases. */
  token(
    claims: JWTPayload & { oid?: string },
    opts?: { audience?: string; expiresInSeconds?: number; issuer?: string; forgedKey?: boolean },
  ): Promise<string>;
  close(): Promise<void>;
}

export async function startLocalEntra(clientId: string, tenantId = 'tenant-0001'): Promise<LocalEntra> {
  const published = await generateKeyPair('RS256');
  // Signed with a key the JWKS does not publish, under the published key's id: a forgery.
  const forger = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(published.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
  const server: Server = createServer((req, res) => {
    if (req.url === '/keys') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
      return;
    }
    // Not chained: restify, loaded in the same process, replaces writeHead with one returning nothing.
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuersFor = (tid: string) => [`${base}/${tid}/v2.0`];

  return {
    jwksUrl: `${base}/keys`,
    tenantId,
    issuersFor,
    async token(claims, opts = {}) {
      const key: CryptoKey = opts.forgedKey ? forger.privateKey : published.privateKey;
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ tid: tenantId, ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: 'key-1' })
        .setIssuer(opts.issuer ?? issuersFor(String(claims.tid ?? tenantId))[0]!)
        .setAudience(opts.audience ?? clientId)
        .setIssuedAt(now - 10)
        .setExpirationTime(now + (opts.expiresInSeconds ?? 3600))
        .sign(key);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
