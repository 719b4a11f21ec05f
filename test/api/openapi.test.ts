import { validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiPath } from '../../services/http/api/openapi.js';
import { startTestServer, type TestServer } from '../support/server.js';

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
});
