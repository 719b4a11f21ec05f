import type { IncomingHttpHeaders } from 'node:http';
import type restify from 'restify';
import type { z } from 'zod';
import { readMultipart, sendDownload, type Download } from '../../file-transfer.js';
import { findLoneSurrogate, loneSurrogateWords } from '../../domain/index.js';
import type { Logger } from '../../log.js';
import { HttpError, sendError } from '../errors.js';
import type { ApiRoute, Caller } from './route-definition.js';

// One registrar for every route of the agent API: it resolves the caller, checks roles, validates
// params, query, body and the headers a route reads with the route's own zod schemas, calls the
// handler, and checks the answer against the response schema before it leaves. Errors are mapped
// once (../errors.ts).

export const API_BASE = '/api/v1';

export interface Authenticator {
  /** The caller behind the request's bearer token; throws 401/403 DomainErrors. */
  authenticate(headers: IncomingHttpHeaders): Promise<Caller>;
}

/** Spends one of the caller's requests, or throws a 429 `HttpError` (../rate-limit.ts). */
export type CallerLimit = (caller: Caller, method: ApiRoute['method']) => Promise<void>;

export interface RegistrarOptions {
  auth: Authenticator;
  log: Logger;
  /** Counts every valid request of a signed-in caller (public routes are not counted here). */
  limit?: CallerLimit;
}

/** Mounts routes on the server under /api/v1. */
export function mountApiRoutes(
  server: restify.Server,
  routes: readonly ApiRoute[],
  opts: RegistrarOptions,
): void {
  for (const r of routes) {
    const handler = async (req: restify.Request, res: restify.Response): Promise<void> => {
      try {
        const caller = r.public ? anonymous : await opts.auth.authenticate(req.headers);
        if (r.roles && !r.roles.some((role) => caller.roles.includes(role))) {
          throw new HttpError(403, 'auth.role_required', `This needs the ${r.roles.join(' or ')} role`);
        }
        const params = parsePart('path', r.params, req.params ?? {});
        const query = parsePart('query', r.query, req.query ?? {});
        const body = parsePart('body', r.body, r.upload ? await readForm(req) : req.body);
        assertWellFormed(body);
        const headers = parsePart('headers', r.headers, req.headers);
        // Counted once it is known to be work: a refused request costs the server nothing more.
        if (!r.public) await opts.limit?.(caller, r.method);
        const result = await r.handler({ caller, params, query, body, headers });
        const checked = r.response.safeParse(result);
        if (!checked.success) {
          // The handler broke its own contract: a bug on our side, never the caller's.
          opts.log.error('api response does not match its schema', {
            route: `${r.method.toUpperCase()} ${r.path}`,
            issues: checked.error.issues.slice(0, 5),
          });
          throw new Error(`response of ${r.path} does not match its schema`);
        }
        if (r.file) sendDownload(res, checked.data as Download);
        else res.send(r.status ?? 200, checked.data);
      } catch (err) {
        if (!res.headersSent) sendError(res, err, opts.log);
      }
    };
    server[r.method === 'delete' ? 'del' : r.method](API_BASE + r.path, handler);
  }
}

/** Public routes (dev sign-in, the agent picker) run with no caller; their handlers must not use it. */
const anonymous: Caller = Object.freeze({ agentId: '', name: '', roles: [] });

function parsePart(
  where: 'path' | 'query' | 'body' | 'headers',
  schema: z.ZodType | undefined,
  value: unknown,
): unknown {
  if (!schema) return undefined;
  const parsed = schema.safeParse(where === 'body' && value === undefined ? {} : value);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  const field = [where === 'path' ? 'params' : where, ...(first?.path ?? []).map(String)].join('.');
  return failValidation(field, first?.message ?? 'invalid', parsed.error.issues);
}

/** Refused wherever it is in a body, as every route stores some of what it is sent. */
function assertWellFormed(body: unknown): void {
  const found = findLoneSurrogate(body);
  if (found) {
    failValidation(['body', ...found.path].join('.'), loneSurrogateWords(found), [
      { path: found.path, message: 'unpaired surrogate' },
    ]);
  }
}

function failValidation(field: string, message: string, issues: unknown): never {
  throw new HttpError(400, 'invalid_request', `${field}: ${message}`, issues);
}

/**
 * A multipart body the body reader kept (services/http/body.ts `uploads`), as the route's `body`
 * sees it: its files, and its text fields by name.
 */
async function readForm(req: restify.Request): Promise<Record<string, unknown>> {
  const raw = (req as { rawBody?: Buffer }).rawBody;
  if (!raw) {
    throw new HttpError(415, 'upload.not_multipart', 'Files are sent as a multipart/form-data body');
  }
  const form = await readMultipart(raw, req.header('content-type') ?? '');
  if (!form) {
    throw new HttpError(400, 'upload.unreadable', 'The body is not a readable multipart/form-data body');
  }
  if (form.repeated.length > 0) {
    throw new HttpError(400, 'invalid_request', `body.${form.repeated[0]}: sent more than once`);
  }
  return { ...form.fields, files: form.files.map(({ name, type, bytes }) => ({ name, type, bytes })) };
}
