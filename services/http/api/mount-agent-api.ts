import type restify from 'restify';
import type { Logger } from '../../log.js';
import { bearerToken, type Identity } from '../../identity/index.js';
import { route, sendError, HttpError } from '../errors.js';
import { namedHosts, type HostCheck } from '../hosts.js';
import { createOriginPolicy, type OriginPolicy } from '../origins.js';
import { RateLimit } from '../rate-limit.js';
import { devIdentityRoutes, teamsIdentityRoutes, type AgentDirectory } from './identity-routes.js';
import { buildOpenApiDocument } from './openapi.js';
import { mountPage } from '../page-route.js';
import { DEFAULT_API_LIMITS, type ApiLimits } from './limits.js';
import { API_BASE, mountApiRoutes, type CallerLimit } from './registrar.js';
import type { ApiRoute } from './route-definition.js';

export interface AgentApiOptions {
  identity: Identity;
  directory: AgentDirectory;
  log: Logger;
  version: string;
  /** The names this server answers to in local mode (../hosts.ts); default: localhost and addresses. */
  hosts?: HostCheck;
  /** Whose pages are this server's own (local mode: only they may sign in). */
  origins?: OriginPolicy;
  limits?: Pick<ApiLimits, 'writesPerUser' | 'readsPerUser'>;
  /** The live stream is mounted beside these routes: the OpenAPI document describes it too. */
  liveStream?: boolean;
  /** Teams mode: the tab's app registration (TAB_SSO_CLIENT_ID), for its sign-in window. */
  tabClientId?: string;
}

export const DEV_MODE_HEADER = 'X-Switchboard-Auth';

/**
 * The agent API under /api/v1: the given route lists (each module's `ApiRoute[]`), dev sign-in in
 * local mode, and the OpenAPI document of exactly what is mounted. Returns the routes it mounted.
 */
export function mountAgentApi(
  server: restify.Server,
  routeLists: ReadonlyArray<readonly ApiRoute[]>,
  opts: AgentApiOptions,
): ApiRoute[] {
  const { identity, log } = opts;
  const routes: ApiRoute[] = [];
  if (identity.mode === 'dev') {
    // Anyone can sign in as anyone: every response says so, and so does the log, loudly.
    const hosts = opts.hosts ?? namedHosts([]);
    const origins = opts.origins ?? createOriginPolicy([], hosts);
    server.pre((_req: restify.Request, res: restify.Response, next: restify.Next) => {
      res.setHeader(DEV_MODE_HEADER, 'dev');
      next();
    });
    // After routing, by the route matched: the path as sent may be escaped (`/dev/%73ign-in`) or
    // carry parameters (`;x`) and still reach it.
    server.use((req: restify.Request, res: restify.Response, next: restify.Next) => {
      const refusal = localModeRefusal(req, hosts, origins);
      if (!refusal) return next();
      sendError(res, refusal, log);
      return next(false);
    });
    log.warn(
      'DEV SIGN-IN IS ON (AUTH_MODE=dev): anyone who can reach this server can act as any agent or supervisor. ' +
        'Never expose it; set MicrosoftAppId and TAB_SSO_CLIENT_ID for Teams sign-in.',
      { part: 'identity', authMode: 'dev' },
    );
    routes.push(...devIdentityRoutes(identity, opts.directory));
  } else if (opts.tabClientId) {
    routes.push(...teamsIdentityRoutes(opts.tabClientId));
  }
  for (const list of routeLists) routes.push(...list);

  mountApiRoutes(server, routes, {
    log,
    auth: { authenticate: (headers) => identity.authenticate(bearerToken(headers.authorization)) },
    limit: perCaller(opts.limits ?? DEFAULT_API_LIMITS),
  });

  // Built on first request: every route list is known by then, and start-up stays quick.
  let document: object | undefined;
  mountPage(
    server,
    API_BASE + '/openapi.json',
    route(
      log,
      () =>
        (document ??= buildOpenApiDocument(routes, { version: opts.version, liveStream: opts.liveStream })),
    ),
  );
  return routes;
}

/**
 * Local mode: the API answers only under this server's own names (a page that rebound its DNS name
 * to this machine asks under its own), and only this server's pages may sign in from a browser (a
 * request without `Origin` is no browser's page, and holds no ambient credential to abuse).
 */
function localModeRefusal(
  req: restify.Request,
  hosts: HostCheck,
  origins: OriginPolicy,
): HttpError | undefined {
  const path = String(req.getRoute()?.path ?? '');
  if (!path.startsWith(API_BASE + '/')) return undefined;
  if (!hosts.allows(req.headers.host)) {
    return new HttpError(
      403,
      'host_not_allowed',
      'This server does not answer to that name in local mode; use localhost, its address or PUBLIC_URL',
    );
  }
  if (
    path.replace(/\/+$/, '') === DEV_SIGN_IN &&
    req.headers.origin !== undefined &&
    !origins.ownPage(req.headers)
  ) {
    return new HttpError(403, 'origin_not_allowed', 'Only this server’s own pages may sign in');
  }
  return undefined;
}

const DEV_SIGN_IN = `${API_BASE}/dev/sign-in`;

/** Writes and reads of one signed-in user, each against its own budget. */
function perCaller(limits: Pick<ApiLimits, 'writesPerUser' | 'readsPerUser'>): CallerLimit {
  const writes = new RateLimit('changes by this user', limits.writesPerUser);
  const reads = new RateLimit('reads by this user', limits.readsPerUser);
  return (caller, method) => (method === 'get' ? reads : writes).take(caller.agentId);
}
