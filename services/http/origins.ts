import type { IncomingHttpHeaders } from 'node:http';
import type { Request, Response, Next } from 'restify';
import { ANY_HOST, type HostCheck } from './hosts.js';

/**
 * Which web pages may use the customer-facing endpoints from a browser: the configured origins
 * (`ALLOWED_ORIGINS`), and this server's own pages (same origin as the request). An Origin header
 * proves nothing to a server — any script can write one — so this guards browsers, and the rate
 * limits guard everything else.
 */
export interface OriginPolicy {
  /** True for a browser request from an allowed page; false for any other Origin, or none. */
  allows(headers: IncomingHttpHeaders): boolean;
  /** True when a browser says where it comes from and that place is not allowed. */
  refuses(headers: IncomingHttpHeaders): boolean;
  /** True for a browser request from one of this server's own pages (not merely an allowed site). */
  ownPage(headers: IncomingHttpHeaders): boolean;
}

/**
 * `hosts`: the names this server answers to (./hosts.ts). "The page's origin is the Host it asked
 * for" proves nothing under DNS rebinding (the attacker's page asks for its own name, which then
 * points here), so a page counts as ours only when that Host is one of them.
 */
export function createOriginPolicy(
  allowedOrigins: readonly string[],
  hosts: HostCheck = ANY_HOST,
): OriginPolicy {
  const allowed = new Set(allowedOrigins);
  const ownPage = (headers: IncomingHttpHeaders): boolean => {
    const origin = headers.origin;
    if (!origin || !hosts.allows(headers.host)) return false;
    // Our own demo page, whatever name or address the visitor used to reach this server.
    try {
      return new URL(origin).host === headers.host;
    } catch {
      // "null" (sandboxed frames, file: pages) and garbage are nobody's origin
      return false;
    }
  };
  const allows = (headers: IncomingHttpHeaders): boolean => {
    const origin = headers.origin;
    if (!origin) return false;
    return allowed.has(origin) || ownPage(headers);
  };
  return { allows, ownPage, refuses: (headers) => headers.origin !== undefined && !allows(headers) };
}

/**
 * What the official Direct Line client and Web Chat send (botframework-directlinejs 0.15: the token,
 * JSON, its agent string; RxJS ajax adds X-Requested-With), and the widget a subset of it.
 */
const ALLOWED_HEADERS = 'Authorization, Content-Type, Accept, X-Requested-With, x-ms-bot-agent';

/**
 * CORS for the endpoints customer pages call (the Direct Line channel and the widget's token), for
 * allowed origins only. A preflight from any other origin is refused with 403; a simple request from
 * one gets its answer without `Access-Control-Allow-Origin`, so the page cannot read it.
 */
export function corsFor(paths: readonly string[], policy: OriginPolicy) {
  return (req: Request, res: Response, next: Next): void => {
    const path = req.path();
    if (!paths.some((p) => path.startsWith(p))) return next();
    const preflight = req.method === 'OPTIONS';
    if (!policy.allows(req.headers)) {
      if (!preflight) return next();
      res.send(403, { error: { code: 'origin_not_allowed', message: 'This site may not call this server' } });
      return next(false);
    }
    res.setHeader('Access-Control-Allow-Origin', req.headers.origin as string);
    res.setHeader('Vary', 'Origin');
    res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    res.setHeader('Access-Control-Expose-Headers', 'Retry-After');
    res.setHeader('Access-Control-Max-Age', '600');
    if (preflight) {
      res.writeHead(204);
      res.end();
      return next(false);
    }
    next();
  };
}
