import { isUtf8 } from 'node:buffer';
import type { Request, Response, Next } from 'restify';
import type { Logger } from '../log.js';
import { nestingDepth } from '../json-nesting.js';
import { HttpError, sendError } from './errors.js';

export interface BodyLimits {
  /** Bytes on the wire; a larger body is refused with 413 and the connection closed. */
  maxBytes: number;
  /** Nesting of objects and arrays; deeper JSON is refused with 400 before it is parsed. */
  maxDepth: number;
  /** The whole body must arrive within this time, else 408 and the connection is closed. */
  timeoutMs: number;
  /**
   * Routes that take files: a `multipart/form-data` body to a path matching `path` may hold up to
   * `maxBytes` and take `timeoutMs` (a photo over a slow phone line), and is kept as it came in
   * `req.rawBody` (a Buffer) for the route to parse.
   */
  uploads?: { path: RegExp; maxBytes: number; timeoutMs: number };
}

const MULTIPART_TYPE = /^multipart\/form-data\s*;/i;

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
 *   `maxDepth` → 400 `invalid_json`, and so is one that is not UTF-8 (RFC 8259 §8.1), rather than
 *   its bad bytes becoming U+FFFD in what is stored; a leading byte order mark, which some .NET and
 *   PowerShell clients write, is dropped (§8.1 lets a parser ignore it). A body of any other type → 415, naming the type to send: dropping it quietly
 *   left the route to complain of a missing field, and a cross-site form post is never taken for an
 *   activity either way. Only an upload route (`uploads`) keeps a multipart body, as bytes.
 */
export function bodyReader(limits: BodyLimits, log: Logger) {
  return (req: Request, res: Response, next: Next): void => {
    new BodyRead(req, res, next, limits, log).start();
  };
}

/**
 * One request's body on its way in. A class, so that nothing is a named closure made per request
 * (under tsx, esbuild's keepNames gives each such closure a `name` definition, on every request).
 */
class BodyRead {
  private settled = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private refused: HttpError | undefined;
  /** This request's limit: the uploads' for a multipart body to an upload route. */
  private readonly maxBytes: number;
  private readonly timeoutMs: number;
  private readonly keepRaw: boolean;

  constructor(
    private readonly req: Request,
    private readonly res: Response,
    private readonly next: Next,
    private readonly limits: BodyLimits,
    private readonly log: Logger,
  ) {
    const uploads = limits.uploads;
    this.keepRaw =
      uploads !== undefined &&
      MULTIPART_TYPE.test(String(req.headers['content-type'] ?? '')) &&
      uploads.path.test(req.path());
    this.maxBytes = this.keepRaw ? uploads!.maxBytes : limits.maxBytes;
    this.timeoutMs = this.keepRaw ? uploads!.timeoutMs : limits.timeoutMs;
  }

  start(): void {
    const { req } = this;
    this.timer = setTimeout(
      () => this.fail(new HttpError(408, 'request_timeout', 'The request body did not arrive in time'), true),
      this.timeoutMs,
    );
    const encoding = String(req.headers['content-encoding'] ?? '')
      .trim()
      .toLowerCase();
    this.refused =
      encoding !== '' && encoding !== 'identity'
        ? new HttpError(
            415,
            'unsupported_encoding',
            'Request bodies must not be compressed (Content-Encoding)',
          )
        : undefined;
    // A body somewhat over the limit (or refused) is read to its end and dropped, so the client gets
    // its answer on a healthy connection; a much larger one is not worth reading: answer and close.
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > discardUpTo(this.maxBytes))
      return this.fail(this.refused ?? tooLarge(this.maxBytes), true);
    req.on('data', (chunk: Buffer) => this.data(chunk));
    req.on('error', () => {
      // The client went away mid-body: nobody is left to answer.
      this.settled = true;
      clearTimeout(this.timer);
    });
    req.on('end', () => this.end());
  }

  private data(chunk: Buffer): void {
    if (this.settled) return;
    this.size += chunk.length;
    if (this.size > discardUpTo(this.maxBytes))
      return this.fail(this.refused ?? tooLarge(this.maxBytes), true);
    if (!this.refused && this.size <= this.maxBytes) this.chunks.push(chunk);
  }

  private end(): void {
    if (this.settled) return;
    const { req, limits, size } = this;
    if (this.refused) return this.fail(this.refused, false);
    if (size > this.maxBytes) return this.fail(tooLarge(this.maxBytes), false);
    const json = JSON_TYPE.test(String(req.headers['content-type'] ?? ''));
    if (size > 0 && !json && !this.keepRaw) return this.fail(notJson(this.uploadRoute()), false);
    const bytes = size > 0 && json ? Buffer.concat(this.chunks, size) : undefined;
    if (bytes !== undefined && !isUtf8(bytes)) {
      return this.fail(
        new HttpError(400, 'invalid_json', 'The body is not valid UTF-8: JSON bodies must be UTF-8'),
        false,
      );
    }
    const text = bytes?.toString('utf8', hasBom(bytes) ? 3 : 0);
    if (text !== undefined && nestingDepth(text) > limits.maxDepth) {
      return this.fail(
        new HttpError(400, 'invalid_json', `JSON may nest at most ${limits.maxDepth} levels`),
        false,
      );
    }
    if (this.keepRaw) (req as { rawBody?: Buffer }).rawBody = Buffer.concat(this.chunks, size);
    try {
      if (text !== undefined) (req as { body?: unknown }).body = JSON.parse(text);
    } catch {
      return this.fail(new HttpError(400, 'invalid_json', 'The body is not valid JSON'), false);
    }
    this.settled = true;
    clearTimeout(this.timer);
    this.next();
  }

  /** A route that takes files: a body it cannot read is refused naming what it does take. */
  private uploadRoute(): boolean {
    return this.limits.uploads?.path.test(this.req.path()) === true;
  }

  private fail(err: HttpError, close: boolean): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    const { req, res } = this;
    if (close) {
      // Whatever is still on its way is not read: the connection ends with the answer.
      res.setHeader('Connection', 'close');
      res.once('finish', () => req.destroy());
    }
    sendError(res, err, this.log);
    this.next(false);
  }
}

function hasBom(bytes: Buffer): boolean {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/** Past this many bytes a body is not read to its end: the answer goes out and the connection closes. */
function discardUpTo(maxBytes: number): number {
  return maxBytes * 4;
}

function notJson(upload: boolean): HttpError {
  // An upload route is told of multipart first: "send JSON" sent a client with a text body or a
  // boundary-less multipart type the wrong way (the JSON it could send has no room for the file).
  return new HttpError(
    415,
    'unsupported_media_type',
    upload
      ? 'Files are uploaded as multipart/form-data with a boundary (Content-Type: multipart/form-data; boundary=…)'
      : 'Request bodies are JSON: send them with Content-Type: application/json',
  );
}

function tooLarge(max: number): HttpError {
  return new HttpError(413, 'payload_too_large', `Request bodies may hold at most ${max} bytes`);
}
