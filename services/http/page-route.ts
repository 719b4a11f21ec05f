import type restify from 'restify';

type Handler = (req: restify.Request, res: restify.Response, next: restify.Next) => unknown;

/**
 * Mounts a page for GET and HEAD alike: link checkers and uptime monitors ask with HEAD, and Node
 * leaves the body out of a HEAD answer by itself, so one handler serves both with the same headers.
 */
export function mountPage(server: restify.Server, path: string, handler: Handler): void {
  server.get(path, handler as restify.RequestHandler);
  server.head(path, handler as restify.RequestHandler);
}
