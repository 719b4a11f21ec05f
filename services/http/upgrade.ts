import type { IncomingMessage, Server as NodeServer } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../log.js';
import { toHttpError } from './errors.js';

/**
 * Takes one upgrade request whose path starts with the registered prefix: either completes the
 * upgrade (e.g. `WebSocketServer.handleUpgrade`) or refuses it. Refusing is throwing (or rejecting
 * with) an `HttpError` — a 400 for a malformed URL, 403 for a token, 404, 429 …: the router answers
 * with that status and closes the socket. Anything else thrown is a bug: 500, logged.
 */
export type UpgradeHandler = (
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  url: URL,
) => void | Promise<void>;

/** How long a handler may take to upgrade or refuse before the socket is closed. */
const DECISION_MS = 10_000;

interface Route {
  prefix: string;
  handler: UpgradeHandler;
}

interface Router {
  routes: Route[];
  log: Logger;
}

const routers = new WeakMap<NodeServer, Router>();

/**
 * Makes this module the one owner of the server's `upgrade` event (call once, when the server is
 * created). Every upgrade request is routed by path to a handler registered with `registerUpgrade`;
 * an unknown path gets 404 and is closed, so no upgrade request is ever left hanging; nothing a
 * handler throws escapes the event (an exception there would stop the process).
 */
export function ownUpgrades(server: NodeServer, log: Logger): void {
  if (routers.has(server)) return;
  const router: Router = { routes: [], log };
  routers.set(server, router);
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node hands the socket over without an error listener; a reset before the handler attaches
    // its own would be an uncaught exception. The listener stays as long as the socket: a closure
    // here would keep this request's scope (its parsed URL, the timer, …) for the stream's life,
    // about 0.8 KB of heap per open stream.
    socket.on('error', destroySocket);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://upgrade.invalid');
    } catch {
      return refuse(socket, 400, { code: 'invalid_request', message: 'The request URL cannot be read' });
    }
    const route = router.routes.find((r) => url.pathname.startsWith(r.prefix));
    if (!route)
      return refuse(socket, 404, { code: 'not_found', message: `Nothing to upgrade at ${url.pathname}` });
    const deadline = setTimeout(
      () =>
        refuse(socket, 503, {
          code: 'unavailable',
          message: 'The upgrade was not decided in time; try again',
        }),
      DECISION_MS,
    );
    deadline.unref();
    const failed = (err: unknown) => {
      const http = toHttpError(err);
      if (!http) router.log.error('upgrade handler failed', { err, path: url.pathname });
      if (http)
        refuse(socket, http.status, { code: http.code, message: http.message }, http.retryAfterSeconds);
      else refuse(socket, 500, INTERNAL);
    };
    try {
      Promise.resolve(route.handler(req, socket, head, url)).then(
        () => clearTimeout(deadline),
        (err: unknown) => {
          clearTimeout(deadline);
          failed(err);
        },
      );
    } catch (err) {
      clearTimeout(deadline);
      failed(err);
    }
  });
}

/**
 * Routes upgrade requests whose path starts with `pathPrefix` (e.g. `/api/v1/stream`) to `handler`;
 * the first registered prefix that matches wins. Returns a function that unregisters it. The server
 * must have been prepared with `ownUpgrades` (createHttpServer does).
 *
 * ```ts
 * registerUpgrade(server.server, '/api/v1/stream', async (req, socket, head, url) => {
 *   const agent = await authenticate(url.searchParams.get('access_token'));  // throw HttpError(401) to refuse
 *   wss.handleUpgrade(req, socket, head, (ws) => serve(ws, agent));
 * });
 * ```
 */
export function registerUpgrade(server: NodeServer, pathPrefix: string, handler: UpgradeHandler): () => void {
  const router = routers.get(server);
  if (!router)
    throw new Error('registerUpgrade: the server does not route upgrades (call ownUpgrades first)');
  const route = { prefix: pathPrefix, handler };
  router.routes.push(route);
  return () => {
    router.routes = router.routes.filter((r) => r !== route);
  };
}

function destroySocket(this: Duplex): void {
  this.destroy();
}

/** As every other answer says why (./errors.ts): a 500's details stay in the log. */
const INTERNAL = { code: 'internal', message: 'Something went wrong on our side; it has been logged.' };

/**
 * Answers an upgrade request that will not be upgraded with the API's error body
 * (`{"error":{"code","message"}}`, so a client reads why as it would on any route), and closes its
 * socket.
 */
export function refuse(
  socket: Duplex,
  status: number,
  error: { code: string; message: string },
  retryAfterSeconds?: number,
): void {
  if (socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  const retry = retryAfterSeconds !== undefined ? `Retry-After: ${retryAfterSeconds}\r\n` : '';
  const body = Buffer.from(JSON.stringify({ error }));
  socket.end(
    Buffer.concat([
      Buffer.from(
        `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nConnection: close\r\n${retry}` +
          `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${body.length}\r\n\r\n`,
      ),
      body,
    ]),
  );
  // A peer that never reads its answer must not keep the socket.
  setTimeout(() => socket.destroy(), 1000).unref();
}
