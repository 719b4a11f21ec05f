import type { Request, Response } from 'restify';
import { ZodError } from 'zod';
import { isDomainError, type ErrorKind } from '../domain/index.js';
import type { Logger } from '../log.js';

// Errors are `{ "error": { "code", "message" } }`; the caller's mistakes are 4xx, and a
// 500 only ever means a bug on our side (its details go to the log, never to the caller).

const STATUS_BY_KIND: Record<ErrorKind, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
};

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  /** Sent as `Retry-After` (429, 503). */
  retryAfterSeconds?: number;
}

export function toHttpError(err: unknown): HttpError | undefined {
  if (err instanceof HttpError) return err;
  if (isDomainError(err)) {
    const http = new HttpError(STATUS_BY_KIND[err.kind], err.code, err.message, err.details);
    const retryAfter = (err as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    if (typeof retryAfter === 'number') http.retryAfterSeconds = retryAfter;
    return http;
  }
  if (err instanceof ZodError) {
    const first = err.issues[0];
    const where = first && first.path.length > 0 ? first.path.join('.') : 'body';
    return new HttpError(400, 'invalid_request', `${where}: ${first?.message ?? 'invalid'}`, err.issues);
  }
  // An adapter's own refusal (the bot's ChannelError, thrown e.g. from an upgrade handler it registered):
  // services never import the bot, so it is recognised by shape, a numeric status and a string code.
  if (err instanceof Error) {
    const refusal = err as Error & { status?: unknown; code?: unknown; retryAfterSeconds?: unknown };
    if (
      typeof refusal.status === 'number' &&
      refusal.status >= 400 &&
      refusal.status < 600 &&
      typeof refusal.code === 'string'
    ) {
      const http = new HttpError(refusal.status, refusal.code, refusal.message);
      if (typeof refusal.retryAfterSeconds === 'number') http.retryAfterSeconds = refusal.retryAfterSeconds;
      return http;
    }
  }
  return undefined;
}

export function sendError(res: Response, err: unknown, log: Logger): void {
  const http = toHttpError(err);
  if (http) {
    const body: ErrorBody = { error: { code: http.code, message: http.message } };
    if (http.details !== undefined && http.status < 500) body.error.details = http.details;
    if (http.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(http.retryAfterSeconds));
    res.send(http.status, body);
    return;
  }
  log.error('unhandled error', { err });
  res.send(500, {
    error: { code: 'internal', message: 'Something went wrong on our side; it has been logged.' },
  });
}

/** Wraps an async route so every failure becomes one JSON error response. */
export function route(
  log: Logger,
  handler: (req: Request, res: Response) => Promise<unknown> | unknown,
): (req: Request, res: Response) => Promise<void> {
  // Restify treats a two-argument async function as a handler whose promise ends the chain.
  return async (req, res) => {
    try {
      const result = await handler(req, res);
      if (!res.headersSent && result !== undefined) res.send(200, result);
    } catch (err) {
      if (!res.headersSent) sendError(res, err, log);
    }
  };
}

/** Restify's own errors (unknown route, bad JSON, body too large …) in our error format. */
const RESTIFY_CODES: Record<string, string> = {
  ResourceNotFound: 'not_found',
  MethodNotAllowed: 'method_not_allowed',
  InvalidContent: 'invalid_json',
  PayloadTooLarge: 'payload_too_large',
  RequestEntityTooLarge: 'payload_too_large',
  UnsupportedMediaType: 'unsupported_media_type',
  BadRequest: 'bad_request',
  NotAcceptable: 'not_acceptable',
  UriTooLong: 'uri_too_long',
};

export function formatRestifyError(err: Error & { body?: { code?: string }; statusCode?: number }): void {
  const status = err.statusCode ?? 500;
  const restifyCode = err.body?.code ?? err.name;
  const code = RESTIFY_CODES[restifyCode] ?? (status >= 500 ? 'internal' : 'bad_request');
  const message = status >= 500 ? 'Something went wrong on our side; it has been logged.' : err.message;
  (err as unknown as { toJSON: () => ErrorBody }).toJSON = () => ({ error: { code, message } });
}
