import type { Request, Response } from 'restify';
import { ZodError } from 'zod';
import { isDomainError, type ErrorKind } from '../services/domain/index.js';
import type { Logger } from '../services/log.js';

// The bot is its own adapter: its endpoints (`/api/messages`, the Direct Line channel) answer HTTP
// themselves, in the error shape every Switchboard endpoint uses — `{ "error": { "code", "message" } }`,
// 4xx for the caller's mistakes, a 500 only for a bug on our side (details to the log, never to the
// caller). See docs/architecture.md, "Errors".

const STATUS_BY_KIND: Record<ErrorKind, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
};

/** A refusal with its HTTP status, for protocol rules the domain does not know (Direct Line's 403/404/415). */
export class ChannelError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
  /** Sent as `Retry-After` (seconds), e.g. on a 503 or 429. */
  retryAfterSeconds?: number;
}

function refusal(err: unknown): ChannelError | undefined {
  if (err instanceof ChannelError) return err;
  if (isDomainError(err)) return new ChannelError(STATUS_BY_KIND[err.kind], err.code, err.message);
  if (err instanceof ZodError) {
    const first = err.issues[0];
    const where = first && first.path.length > 0 ? first.path.join('.') : 'body';
    return new ChannelError(400, 'invalid_request', `${where}: ${first?.message ?? 'invalid'}`);
  }
  // A refusal from the server's shared guards the bot uses (rate limits, origins): recognised by shape.
  if (err instanceof Error) {
    const r = err as Error & { status?: unknown; code?: unknown; retryAfterSeconds?: unknown };
    if (typeof r.status === 'number' && r.status >= 400 && r.status < 600 && typeof r.code === 'string') {
      const known = new ChannelError(r.status, r.code, r.message);
      if (typeof r.retryAfterSeconds === 'number') known.retryAfterSeconds = r.retryAfterSeconds;
      return known;
    }
  }
  return undefined;
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
      if (res.headersSent) return;
      const known = refusal(err);
      if (known) {
        if (known.retryAfterSeconds !== undefined)
          res.setHeader('Retry-After', String(known.retryAfterSeconds));
        res.send(known.status, { error: { code: known.code, message: known.message } });
        return;
      }
      log.error('unhandled error', { err });
      res.send(500, {
        error: { code: 'internal', message: 'Something went wrong on our side; it has been logged.' },
      });
    }
  };
}
