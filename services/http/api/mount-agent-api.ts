import type restify from 'restify';
import type { Logger } from '../../log.js';
import { bearerToken, type Identity } from '../../identity/index.js';
import { route } from '../errors.js';
import { devIdentityRoutes, type AgentDirectory } from './identity-routes.js';
import { buildOpenApiDocument } from './openapi.js';
import { API_BASE, mountApiRoutes } from './registrar.js';
import type { ApiRoute } from './route-definition.js';

export interface AgentApiOptions {
  identity: Identity;
  directory: AgentDirectory;
  log: Logger;
  version: string;
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
    server.pre((_req: restify.Request, res: restify.Response, next: restify.Next) => {
      res.setHeader(DEV_MODE_HEADER, 'dev');
      next();
    });
    log.warn(
      'DEV SIGN-IN IS ON (AUTH_MODE=dev): anyone who can reach this server can act as any agent or supervisor. ' +
        'Never expose it; set MicrosoftAppId and TAB_SSO_CLIENT_ID for Teams sign-in.',
      { part: 'identity', authMode: 'dev' },
    );
    routes.push(...devIdentityRoutes(identity, opts.directory));
  }
  for (const list of routeLists) routes.push(...list);

  mountApiRoutes(server, routes, {
    log,
    auth: { authenticate: (headers) => identity.authenticate(bearerToken(headers.authorization)) },
  });

  // Built on first request: every route list is known by then, and start-up stays quick.
  let document: object | undefined;
  server.get(
    API_BASE + '/openapi.json',
    route(log, () => (document ??= buildOpenApiDocument(routes, { version: opts.version }))),
  );
  return routes;
}
