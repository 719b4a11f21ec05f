import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { z } from 'zod';
import { API_BASE } from './registrar.js';
import type { ApiRoute } from './route-definition.js';

/** What an upload route's form holds, as OpenAPI describes a multipart body. */
const UPLOAD_FORM = z.object({
  file: z.string().meta({ format: 'binary' }).describe('A file; 1–3 of them, each its own part'),
  text: z.string().optional().describe('Words to go with the files'),
});

// The OpenAPI 3.1 description of the agent API, built from the very schemas the registrar validates
// with (zod-openapi; see docs/decisions/0010-openapi-from-zod.md), so it cannot drift from the code.

const errorBody = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'access.denied' }),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'Error' });

const ERROR_RESPONSES: Record<string, string> = {
  '400': 'The request is malformed; the message names the field',
  '401': 'No token, or a token that is invalid or expired',
  '403': 'Signed in, but not allowed; the message names what was refused',
  '404': 'No such resource',
  '409': 'The resource changed meanwhile (taken, expired, not in a state for this)',
};

/** What every route with a body may answer before the route sees it (services/http/body.ts). */
const BODY_RESPONSES: Record<string, string> = {
  '413': '`payload_too_large`: the body is larger than the server takes (the message says how large)',
  '415':
    '`unsupported_media_type`: the body is not JSON (an upload route: `upload.not_multipart`, not multipart/form-data); `unsupported_encoding`: the body is compressed',
};

const retryAfter = z.object({
  'Retry-After': z.string().meta({ example: '12' }).describe('Seconds to wait before asking again'),
});

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: errorBody } },
});

/** A signed-in caller's requests past the per-user limits (docs/agent-api.md, "Limits"). */
const RATE_LIMITED = {
  ...errorResponse(
    '`rate_limited`: too many requests by this user this minute; try again after `Retry-After`',
  ),
  headers: retryAfter,
};

/**
 * The live stream (services/http/api/live-stream.ts): a WebSocket, which OpenAPI can only describe
 * as the GET that asks for the upgrade; its frames are in docs/agent-api.md, "Live stream".
 */
const STREAM_OPERATION: ZodOpenApiOperationObject = {
  operationId: 'getStream',
  summary: 'The live stream: a WebSocket of JSON events `{seq, type, …}` (docs/agent-api.md, "Live stream")',
  description:
    'Open with a WebSocket upgrade (`Connection: Upgrade`, `Upgrade: websocket`). The token goes in ' +
    '`Authorization: Bearer` or, from a browser, `access_token`. Refusals come before the upgrade, ' +
    'each with the error body. A `since` older than the replay window or past the head of the event ' +
    'log first sends a `stream.resync` frame. Close codes: 4001 token expired, 4003 user removed.',
  requestParams: {
    query: z.object({
      since: z
        .string()
        .regex(/^\d{1,15}$/)
        .optional()
        .describe('The last `seq` seen: what came after it is replayed, once, in order'),
      access_token: z.string().optional().describe('The bearer token, for clients that cannot set headers'),
    }),
    header: z.object({
      Upgrade: z.literal('websocket').describe('The upgrade to the WebSocket protocol'),
    }),
  },
  responses: {
    '101': { description: 'Switching protocols: the stream is open' },
    '400': errorResponse('`invalid_request`: `since` is not a whole number'),
    '401': errorResponse('No token, or a token that is invalid or expired'),
    '403': errorResponse('Not allowed (`host_not_allowed`: a name local mode does not answer to)'),
    '426': {
      ...errorResponse('`upgrade_required`: a plain GET, without the WebSocket upgrade'),
      headers: z.object({ Upgrade: z.literal('websocket') }),
    },
    '429': {
      ...errorResponse(
        '`rate_limited`: too many streams open for this user or address, or opened from this address this minute',
      ),
      headers: retryAfter,
    },
  },
};

/** `/conversations/:id` → `/conversations/{id}`. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

export function pathParamNames(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
}

export function buildOpenApiDocument(
  routes: readonly ApiRoute[],
  info: { version: string; liveStream?: boolean },
): object {
  const paths: ZodOpenApiPathsObject = {};
  for (const r of routes) {
    const names = pathParamNames(r.path);
    const pathSchema =
      (r.params as z.ZodObject | undefined) ??
      (names.length ? z.object(Object.fromEntries(names.map((n) => [n, z.string()]))) : undefined);
    const operation: ZodOpenApiOperationObject = {
      operationId: operationId(r),
      summary: r.summary,
      ...(r.public ? { security: [] } : {}),
      ...(pathSchema || r.query || r.headers
        ? {
            requestParams: {
              ...(pathSchema ? { path: pathSchema as z.ZodObject } : {}),
              ...(r.query ? { query: r.query as z.ZodObject } : {}),
              ...(r.headers ? { header: r.headers as z.ZodObject } : {}),
            },
          }
        : {}),
      ...(r.body
        ? {
            requestBody: {
              required: true,
              content: r.upload
                ? { 'multipart/form-data': { schema: UPLOAD_FORM } }
                : { 'application/json': { schema: r.body } },
            },
          }
        : {}),
      responses: {
        [String(r.status ?? 200)]: {
          description: 'Success',
          // A file's bytes under its own type (image/png, application/pdf …), not JSON.
          content: r.file
            ? { 'application/octet-stream': { schema: z.string().meta({ format: 'binary' }) } }
            : { 'application/json': { schema: r.response } },
        },
        ...Object.fromEntries(
          Object.entries({ ...ERROR_RESPONSES, ...(r.body ? BODY_RESPONSES : {}) })
            .filter(([status]) => status !== '401' || !r.public)
            .map(([status, description]) => [status, errorResponse(description)]),
        ),
        // Public routes are not counted per user (registrar.ts).
        ...(r.public ? {} : { '429': RATE_LIMITED }),
      },
    };
    const key = API_BASE + openApiPath(r.path);
    paths[key] = { ...paths[key], [r.method]: operation };
  }
  if (info.liveStream) paths[`${API_BASE}/stream`] = { get: STREAM_OPERATION };
  return createDocument(
    {
      openapi: '3.1.0',
      info: {
        title: 'Switchboard agent API',
        version: info.version,
        description:
          'The HTTP surface of the Teams tab, the Teams bot and any other client (docs/agent-api.md). ' +
          'The live stream is a WebSocket at /api/v1/stream, described as the GET that opens it.',
      },
      security: [{ bearer: [] }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      paths,
    },
    {
      // Dates leave as ISO strings (JSON.stringify), so that is what the document promises.
      override: ({ jsonSchema, zodSchema, io }) => {
        if (zodSchema._zod.def.type === 'date' && io === 'output') {
          jsonSchema.type = 'string';
          jsonSchema.format = 'date-time';
        }
      },
    },
  );
}

function operationId(r: ApiRoute): string {
  const words = r.path
    .split('/')
    .filter(Boolean)
    .map((part) => (part.startsWith(':') ? 'by-' + part.slice(1) : part));
  return [r.method, ...words]
    .join('-')
    .replace(/[^A-Za-z0-9]+(.)/g, (_m, c: string) => c.toUpperCase())
    .replace(/[^A-Za-z0-9]/g, '');
}
