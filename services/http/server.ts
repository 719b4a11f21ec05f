import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import restify from 'restify';
import type { Logger } from '../log.js';
import { formatRestifyError, route } from './errors.js';

/** Bodies above this are refused with 413 before any handler sees them. */
export const MAX_BODY_BYTES = 256 * 1024;

export interface HttpServerOptions {
  log: Logger;
  version: string;
  storeKind: 'embedded' | 'mongodb';
  /** The built web assets (tab/dist): widget/, demo/, and later the agent tab. */
  webRoot: string;
}

/**
 * The restify app every part mounts on: JSON bodies with a size limit, errors in the DESIGN §7 format,
 * `/api/health`, and the static web assets. Routes of other modules are added by their own `mount…`.
 */
export function createHttpServer(opts: HttpServerOptions): restify.Server {
  const { log } = opts;
  const server = restify.createServer({ name: 'switchboard', handleUncaughtExceptions: false });

  server.pre(securityHeaders);
  server.pre(directLineCors);
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(
    restify.plugins.bodyParser({
      maxBodySize: MAX_BODY_BYTES,
      mapParams: false,
      mapFiles: false,
      rejectUnknown: false,
    }),
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

  server.get(
    '/api/health',
    route(log, () => ({ status: 'ok', store: opts.storeKind, version: opts.version })),
  );

  mountWebAssets(server, opts);
  return server;
}

function securityHeaders(_req: restify.Request, res: restify.Response, next: restify.Next): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
  next();
}

/**
 * The chat widget runs on customers' own sites and calls the Direct Line channel from there. Its
 * tokens travel as Bearer headers, never cookies, so any origin may call it: a page only ever gets
 * the conversation its own token names.
 */
function directLineCors(req: restify.Request, res: restify.Response, next: restify.Next): void {
  if (!req.path().startsWith('/v3/directline/')) return next();
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type');
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
  res.setHeader('Access-Control-Max-Age', '600');
  if (req.method === 'OPTIONS') {
    res.writeHead(204);
    res.end();
    return next(false);
  }
  next();
}

/**
 * The agent tab may be framed by Teams and the Microsoft 365 hosts (Teams, Outlook, the Microsoft 365
 * app, and their *.cloud.microsoft successors) and by no one else: no clickjacking of the workspace.
 */
export const TAB_FRAME_ANCESTORS =
  'frame-ancestors https://teams.microsoft.com https://*.teams.microsoft.com https://*.cloud.microsoft ' +
  'https://*.microsoft365.com https://*.office.com https://outlook.office.com https://outlook.office365.com ' +
  'https://outlook-sdf.office.com https://outlook-sdf.office365.com';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

function mountWebAssets(server: restify.Server, opts: HttpServerOptions): void {
  const root = path.resolve(opts.webRoot);

  const serveFile = async (res: restify.Response, file: string, cache: string) => {
    const body = await readFile(file);
    res.writeHead(200, {
      'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Content-Length': body.length,
      'Cache-Control': cache,
    });
    res.end(body);
  };

  // Only files inside the folder are served; `..`, encoded or not, cannot climb out of it.
  const resolveInside = (folder: string, rel: string): string | undefined => {
    const base = path.join(root, folder);
    const file = path.resolve(base, '.' + path.posix.normalize('/' + rel));
    if (!file.startsWith(base + path.sep) || !existsSync(file)) return undefined;
    return file;
  };

  for (const folder of ['widget', 'demo', 'tab']) {
    server.get(
      `/${folder}/*`,
      route(opts.log, async (req, res) => {
        if (folder === 'tab') res.setHeader('Content-Security-Policy', TAB_FRAME_ANCESTORS);
        const rel = decodeURIComponent(req.path().slice(folder.length + 2)) || 'index.html';
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
        await serveFile(res, file, folder === 'widget' ? 'public, max-age=300' : 'no-cache');
      }),
    );
  }

  server.get(
    '/',
    route(opts.log, async (_req, res) => {
      const demo = path.join(root, 'demo', 'index.html');
      if (existsSync(demo)) return serveFile(res, demo, 'no-cache');
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(
        '<!doctype html><title>Switchboard</title><h1>Switchboard</h1>' +
          '<p>The web assets are not built yet: run <code>npm run build:web</code> (npm start does it).</p>',
      );
    }),
  );
}
