import { validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiPath } from '../../services/http/api/openapi.js';
import { startTestServer, type TestServer } from '../support/server.js';
import type { Json } from './support/clients.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('OpenAPI document', () => {
  it('passes an OpenAPI 3 validator and lists every mounted route', async () => {
    const res = await fetch(`${server.url}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toMatch(/^3\./);
    const result = await validate(structuredClone(doc) as never);
    expect(result.valid, JSON.stringify('errors' in result ? result.errors : [], null, 1)).toBe(true);
    const mounted = server.services.apiRoutes;
    expect(mounted.length).toBeGreaterThan(1);
    for (const r of mounted) {
      expect(doc.paths[`/api/v1${openApiPath(r.path)}`]?.[r.method], `${r.method} ${r.path}`).toBeDefined();
    }
  });

  it('lists the refusals the edges add: 429 with Retry-After, and 413 and 415 where a body is sent', async () => {
    const doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as Json;
    const responses = (path: string, method: string) => doc.paths[`/api/v1${path}`][method].responses;
    const send = responses('/conversations/{id}/messages', 'post');
    expect(Object.keys(send)).toEqual(
      expect.arrayContaining(['201', '400', '401', '409', '413', '415', '429']),
    );
    expect(send['429'].description).toMatch(/rate_limited/);
    expect(send['429'].headers['Retry-After']).toBeDefined();
    expect(send['413'].description).toMatch(/payload_too_large/);
    expect(send['415'].description).toMatch(/unsupported_media_type/);
    // A read sends no body; a public route is not counted per user.
    const read = responses('/conversations/{id}', 'get');
    expect(read['429']).toBeDefined();
    expect(read['413']).toBeUndefined();
    expect(read['415']).toBeUndefined();
    expect(responses('/dev/sign-in', 'post')['429']).toBeUndefined();
  });

  it('describes the live stream as the GET that upgrades to a WebSocket', async () => {
    const doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as Json;
    const stream = doc.paths['/api/v1/stream']?.get;
    expect(stream).toBeDefined();
    expect(Object.keys(stream.responses)).toEqual(
      expect.arrayContaining(['101', '400', '401', '426', '429']),
    );
    expect(stream.parameters.map((p: Json) => `${p.in} ${p.name}`)).toEqual(
      expect.arrayContaining(['query since', 'query access_token', 'header Upgrade']),
    );
    expect(stream.responses['426'].description).toMatch(/upgrade_required/);
  });
});
