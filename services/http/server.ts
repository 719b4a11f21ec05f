import { existsSync } from 'node:fs';
import type { IncomingMessage, Server as NodeServer, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import path from 'node:path';
import restify from 'restify';
import { colorIcon } from '../../manifest/icons.js';
import { MAX_FILE_BYTES } from '../domain/files.js';
import { MAX_JSON_DEPTH } from '../json-nesting.js';
import type { Logger } from '../log.js';
import { bodyReader } from './body.js';
import { formatRestifyError, HttpError, route } from './errors.js';
import { PRIVACY_PAGE, TERMS_PAGE } from './legal-pages.js';
import { corsFor, createOriginPolicy, type OriginPolicy } from './origins.js';
import { createAssetCache } from './static-assets.js';
import { ownUpgrades } from './upgrade.js';
import { mountPage } from './page-route.js';

/** Bodies above this are refused with 413 before any handler sees them. */
export const MAX_BODY_BYTES = 256 * 1024;
/** JSON nested deeper than this is refused with 400 (no activity or API body comes close). */

/** How long a client may take to send its request headers, and then its body. */
export interface HttpTimeouts {
  headersMs: number;
  bodyMs: number;
}
export const DEFAULT_TIMEOUTS: HttpTimeouts = { headersMs: 10_000, bodyMs: 15_000 };

/**
 * Where files are sent (a customer's Direct Line upload, an agent's files to their customer): a
 * larger body, read slower, kept as bytes.
 */
const UPLOADS = {
  path: /^\/(?:v3\/directline\/conversations\/[^/]+\/upload|api\/v1\/conversations\/[^/]+\/files)$/,
  // The files (domain/files.ts) and the multipart framing around them.
  maxBytes: MAX_FILE_BYTES + 64 * 1024,
  timeoutMs: 120_000,
};

/** Paths customer pages on other sites call from the browser: CORS for allowed origins. */
const CUSTOMER_API_PATHS = ['/v3/directline/', '/widget/token'];

export interface HttpServerOptions {
  log: Logger;
  version: string;
  storeKind: 'embedded' | 'mongodb';
  /** Why the store refuses every operation, or null while it works (`/api/health` then answers 503). */
  storeFailure?: () => Error | null;
  /** The built web assets (tab/dist): widget/, demo/, and later the agent tab. */
  webRoot: string;
  /** Which pages may call the customer-facing endpoints from a browser (ALLOWED_ORIGINS); default: this server's own. */
  origins?: OriginPolicy;
  timeouts?: HttpTimeouts;
}

/**
 * The restify app every part mounts on: JSON bodies with a size limit, errors in the `{ error: { code, message } }` format,
 * `/api/health`, and the static web assets. Routes of other modules are added by their own `mount…`.
 */
export function createHttpServer(opts: HttpServerOptions): restify.Server {
  const { log } = opts;
  const server = restify.createServer({ name: 'switchboard', handleUncaughtExceptions: false });
  const timeouts = opts.timeouts ?? DEFAULT_TIMEOUTS;
  limitSlowClients(server.server, timeouts);
  answerUnreadableRequests(server.server);
  ownUpgrades(server.server, log);

  server.pre(securityHeaders);
  server.pre(corsFor(CUSTOMER_API_PATHS, opts.origins ?? createOriginPolicy([])));
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(
    bodyReader(
      { maxBytes: MAX_BODY_BYTES, maxDepth: MAX_JSON_DEPTH, timeoutMs: timeouts.bodyMs, uploads: UPLOADS },
      log,
    ),
  );

  server.on('restifyError', (_req: unknown, _res: unknown, err: Error, cb: () => void) => {
    formatRestifyError(err);
    cb();
  });
  server.on(
    'uncaughtException',
    (req: restify.Request, res: restify.Response, _route: unknown, err: Error) => {
      log.error('uncaught exception in a route', { err, path: req.path() });
      if (!res.headersSent) {
        res.send(500, {
          error: { code: 'internal', message: 'Something went wrong on our side; it has been logged.' },
        });
      }
    },
  );

  mountPage(
    server,
    '/api/health',
    route(log, (_req, res) => {
      const failure = opts.storeFailure?.();
      if (!failure) return { status: 'ok', store: opts.storeKind, version: opts.version };
      // A load balancer or supervisor acts on the status; the reason is for the operator.
      res.send(503, {
        status: 'unavailable',
        store: opts.storeKind,
        version: opts.version,
        reason: failure.message,
      });
      return undefined;
    }),
  );

  mountWebAssets(server, opts);
  return server;
}

/**
 * A client that opens a connection must send its request headers within `headersMs`; Node's own
 * headers and request timeouts back this up for later requests on a kept-alive connection (Node
 * checks those only every 30 s, hence the precise timer for the first request).
 */
function limitSlowClients(http: NodeServer, timeouts: HttpTimeouts): void {
  http.headersTimeout = timeouts.headersMs;
  http.requestTimeout = timeouts.headersMs + timeouts.bodyMs;
  const firstHeaders = new WeakMap<Socket, NodeJS.Timeout>();
  const stopWaiting = (socket: Socket) => {
    clearTimeout(firstHeaders.get(socket));
    firstHeaders.delete(socket);
  };
  // One listener for every connection, not a closure each: a connection lives as long as a live
  // stream, and a closure would keep its timer (and scope) as long.
  function closed(this: Socket): void {
    stopWaiting(this);
  }
  http.on('connection', (socket: Socket) => {
    const timer = setTimeout(destroy, timeouts.headersMs, socket);
    timer.unref();
    firstHeaders.set(socket, timer);
    socket.once('close', closed);
  });
  const headersArrived = (req: IncomingMessage) => stopWaiting(req.socket);
  http.prependListener('request', headersArrived);
  http.prependListener('upgrade', headersArrived);
}

/** What Node refuses before any route sees it, said in the house's error body. */
const UNREADABLE: Record<string, [status: string, code: string, message: string]> = {
  HPE_HEADER_OVERFLOW: [
    '431 Request Header Fields Too Large',
    'headers_too_large',
    'The request line and headers may hold at most 16 KB together: shorten the query or the headers',
  ],
  ERR_HTTP_REQUEST_TIMEOUT: ['408 Request Timeout', 'request_timeout', 'The request took too long to arrive'],
};
const MALFORMED: [string, string, string] = [
  '400 Bad Request',
  'malformed_request',
  'The request is not well-formed HTTP/1.1',
];

/**
 * Node answers a request it cannot parse (headers over its 16 KB, broken framing) with a bare
 * status line and no body; clients of this server are promised an error that names the problem.
 * Not while a response is going out on the connection, as Node itself checks (through the same
 * socket field): the reply would land inside it.
 */
function answerUnreadableRequests(http: NodeServer): void {
  http.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    const inFlight = (socket as { _httpMessage?: ServerResponse | null })._httpMessage;
    if (!socket.writable || inFlight?.headersSent || err.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const [status, code, message] = UNREADABLE[err.code ?? ''] ?? MALFORMED;
    const body = JSON.stringify({ error: { code, message } });
    socket.end(
      `HTTP/1.1 ${status}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Content-Type-Options: nosniff\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
  });
}

function destroy(socket: Socket): void {
  socket.destroy();
}

function securityHeaders(_req: restify.Request, res: restify.Response, next: restify.Next): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
  next();
}

/**
 * The demo page (and anything else served as a page): scripts and connections only from this server,
 * never framed by another site. The widget's shadow DOM uses inline styles, hence 'unsafe-inline' for
 * styles only.
 */
const PAGE_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  // blob: the chat's pictures, fetched with the conversation's token (an <img src> cannot carry it).
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Widget files are scripts other sites embed: nothing in them is a page of ours to frame or run. */
const WIDGET_POLICY = "default-src 'none'; frame-ancestors 'none'";

function pageHeaders(policy: string): Record<string, string> {
  return {
    'Content-Security-Policy': policy,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
  };
}

/**
 * The agent tab may be framed by Teams and the Microsoft 365 hosts (Teams, Outlook, the Microsoft 365
 * app, and their *.cloud.microsoft successors) and by no one else: no clickjacking of the workspace.
 */
export const TAB_FRAME_ANCESTORS =
  'frame-ancestors https://teams.microsoft.com https://*.teams.microsoft.com https://*.cloud.microsoft ' +
  'https://*.microsoft365.com https://*.office.com https://outlook.office.com https://outlook.office365.com ' +
  'https://outlook-sdf.office.com https://outlook-sdf.office365.com';

function mountWebAssets(server: restify.Server, opts: HttpServerOptions): void {
  const root = path.resolve(opts.webRoot);
  const assets = createAssetCache();

  /** `headers`: the page rules (CSP, framing) for what is served. */
  const serveFile = async (
    req: restify.Request,
    res: restify.Response,
    file: string,
    cache: string,
    headers: Record<string, string>,
  ) => {
    const answer = await assets.answer(file, req.headers, cache, headers);
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  };

  // Only files inside the folder are served; `..`, encoded or not, cannot climb out of it.
  const resolveInside = (folder: string, rel: string): string | undefined => {
    const base = path.join(root, folder);
    const file = path.resolve(base, '.' + path.posix.normalize('/' + rel));
    if (!file.startsWith(base + path.sep) || !existsSync(file)) return undefined;
    return file;
  };

  for (const folder of ['widget', 'demo', 'tab']) {
    mountPage(
      server,
      `/${folder}/*`,
      route(opts.log, async (req, res) => {
        if (folder === 'tab') res.setHeader('Content-Security-Policy', TAB_FRAME_ANCESTORS);
        let rel: string;
        try {
          rel = decodeURIComponent(req.path().slice(folder.length + 2)) || 'index.html';
        } catch {
          throw new HttpError(400, 'bad_request', 'The path is not validly escaped');
        }
        const file =
          resolveInside(folder, rel) ?? (folder === 'tab' ? resolveInside(folder, 'index.html') : undefined);
        if (!file && folder === 'tab') {
          // A person following the demo page's link gets a page, not a JSON error.
          res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8' });
          res.end(
            '<!doctype html><meta charset="utf-8"><title>Switchboard · Agent workspace</title>' +
              '<h1>The agent workspace is not in this build</h1>' +
              '<p>This server has no built Teams tab (tab/dist/tab). Customers can still chat on the ' +
              '<a href="/">demo page</a>; agents are served through the service API.</p>',
          );
          return;
        }
        if (!file) {
          res.send(404, { error: { code: 'not_found', message: `No such file: ${req.path()}` } });
          return;
        }
        // Hashed chunks could be cached forever; the loader and pages must pick up new releases.
        // The agent workspace runs framed inside Teams: its own build sets its page rules.
        if (folder === 'widget')
          await serveFile(req, res, file, 'public, max-age=300', pageHeaders(WIDGET_POLICY));
        else await serveFile(req, res, file, 'no-cache', folder === 'demo' ? pageHeaders(PAGE_POLICY) : {});
      }),
    );
  }

  // The app's own icon, drawn once when first asked for: a browser asks every page's origin for it.
  let favicon: Buffer | undefined;
  mountPage(
    server,
    '/favicon.ico',
    route(opts.log, (_req, res) => {
      favicon ??= colorIcon();
      res.writeHead(200, {
        'Content-Type': 'image/png',
        'Content-Length': favicon.length,
        'Cache-Control': 'public, max-age=86400',
      });
      res.end(favicon);
    }),
  );

  // The Teams package's privacy and terms links (manifest.template.json) land here.
  for (const [pagePath, html] of [
    ['/privacy', PRIVACY_PAGE],
    ['/terms', TERMS_PAGE],
  ] as const) {
    const body = Buffer.from(html, 'utf8');
    mountPage(
      server,
      pagePath,
      route(opts.log, (_req, res) => {
        res.writeHead(200, {
          'Content-Type': 'text/html; charset=utf-8',
          'Content-Length': body.length,
          'Cache-Control': 'no-cache',
          ...pageHeaders(PAGE_POLICY),
        });
        res.end(body);
      }),
    );
  }

  mountPage(
    server,
    '/',
    route(opts.log, async (req, res) => {
      const demo = path.join(root, 'demo', 'index.html');
      if (existsSync(demo)) return serveFile(req, res, demo, 'no-cache', pageHeaders(PAGE_POLICY));
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ...pageHeaders(PAGE_POLICY) });
      res.end(
        '<!doctype html><title>Switchboard</title><h1>Switchboard</h1>' +
          '<p>The web assets are not built yet: run <code>npm run build:web</code> (npm start does it).</p>',
      );
    }),
  );
}
