import type { Request, Response, Next } from 'restify';
import type { Logger } from '../log.js';
import { HttpError, sendError } from './errors.js';

export interface BodyLimits {
  /** Bytes on the wire; a larger body is refused with 413 and the connection closed. */
  maxBytes: number;
  /** Nesting of objects and arrays; deeper JSON is refused with 400 before it is parsed. */
  maxDepth: number;
  /** The whole body must arrive within this time, else 408 and the connection is closed. */
  timeoutMs: number;
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * Reads every request body itself, instead of restify's bodyParser, so that no input reaches code
 * that can throw outside a handled path (restify's gzip handling fails outside the request and stops
 * the process). Bodies are taken as they arrive on the wire:
 * - `Content-Encoding` other than identity → 415. No client of this server compresses requests (Bot
 *   Framework, Direct Line, the widget), and refusing is what keeps a 100 KB gzip body from becoming
 *   100 MB in memory.
 * - more than `maxBytes` → 413 (far more: the connection closes); slower than `timeoutMs` → 408 and
 *   the connection closes.
 * - JSON (`application/json`, `…+json`) is parsed into `req.body`: malformed or nested deeper than
 *   `maxDepth` → 400. Any other type is read and dropped (`req.body` stays undefined), so a
 *   cross-site form post is never taken for an activity.
 */
export function bodyReader(limits: BodyLimits, log: Logger) {
  return (req: Request, res: Response, next: Next): void => {
    let settled = false;
    const fail = (err: HttpError, close: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (close) {
        // Whatever is still on its way is not read: the connection ends with the answer.
        res.setHeader('Connection', 'close');
        res.once('finish', () => req.destroy());
      }
      sendError(res, err, log);
      next(false);
    };
    const timer = setTimeout(
      () => fail(new HttpError(408, 'request_timeout', 'The request body did not arrive in time'), true),
      limits.timeoutMs,
    );
    const encoding = String(req.headers['content-encoding'] ?? '')
      .trim()
      .toLowerCase();
    const refused =
      encoding !== '' && encoding !== 'identity'
        ? new HttpError(
            415,
            'unsupported_encoding',
            'Request bodies must not be compressed (Content-Encoding)',
          )
        : undefined;
    // A body somewhat over the limit (or refused) is read to its end and dropped, so the client gets
    // its answer on a healthy connection; a much larger one is not worth reading: answer and close.
    const discardUpTo = limits.maxBytes * 4;
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > discardUpTo) return fail(refused ?? tooLarge(limits.maxBytes), true);

    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > discardUpTo) return fail(refused ?? tooLarge(limits.maxBytes), true);
      if (!refused && size <= limits.maxBytes) chunks.push(chunk);
    });
    req.on('error', () => {
      // The client went away mid-body: nobody is left to answer.
      settled = true;
      clearTimeout(timer);
    });
    req.on('end', () => {
      if (settled) return;
      if (refused) return fail(refused, false);
      if (size > limits.maxBytes) return fail(tooLarge(limits.maxBytes), false);
      const text =
        size > 0 && JSON_TYPE.test(String(req.headers['content-type'] ?? ''))
          ? Buffer.concat(chunks, size).toString('utf8')
          : undefined;
      if (text !== undefined && nestingDepth(text) > limits.maxDepth) {
        return fail(
          new HttpError(400, 'invalid_json', `JSON may nest at most ${limits.maxDepth} levels`),
          false,
        );
      }
      try {
        if (text !== undefined) (req as { body?: unknown }).body = JSON.parse(text);
      } catch {
        return fail(new HttpError(400, 'invalid_json', 'The body is not valid JSON'), false);
      }
      settled = true;
      clearTimeout(timer);
      next();
    });
  };
}

function tooLarge(max: number): HttpError {
  return new HttpError(413, 'payload_too_large', `Request bodies may hold at most ${max} bytes`);
}

/**
 * The deepest nesting of `{`/`[` outside strings. Counted on the text, before parsing, because deep
 * values make later recursive steps (serializing, storing) throw far from the request.
 */
export function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}
