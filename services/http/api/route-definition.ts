import type { z } from 'zod';
import type { Agent, Role } from '../../domain/index.js';

// A route of the agent API (/api/v1) as data: the registrar validates params, query and body with
// these schemas, checks the caller's roles, calls the handler and builds the OpenAPI document from
// the same schemas. Route modules export arrays of these; they never touch restify themselves.

/** Who is calling: resolved from the bearer token (Teams SSO in teams mode, a session token in dev mode). */
export interface Caller {
  agentId: string;
  name: string;
  roles: Role[];
  /**
   * The caller's agent record as authentication read it for this request (none on public routes):
   * a handler on a hot path hands it to the desk, which then does not read it again.
   */
  agent?: Agent;
}

export interface RouteContext<P, Q, B, H = unknown> {
  caller: Caller;
  params: P;
  query: Q;
  body: B;
  /** The request headers the route's `headers` schema names (lower-case), validated. */
  headers: H;
}

export interface ApiRoute<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
  H extends z.ZodType = z.ZodType,
> {
  method: 'get' | 'post' | 'put' | 'delete';
  /** Relative to /api/v1, restify syntax: `/conversations/:id/messages`. */
  path: string;
  summary: string;
  /** Any of these roles may call it; absent = any signed-in user. Finer checks live in services. */
  roles?: Role[];
  /** No token needed (local-mode sign-in and its agent picker only); the handler gets no caller. */
  public?: boolean;
  params?: P;
  query?: Q;
  body?: B;
  /** Request headers the handler reads (lower-case names), e.g. `idempotency-key`. */
  headers?: H;
  response: R;
  /** The handler answers with a file (`fileSchema`), sent as its bytes under its own type. */
  file?: true;
  /**
   * The body is `multipart/form-data` (files): the registrar hands `body` the form as
   * `{ files: [{ name, type, bytes }], <text field>: string }`, then validates it with `body`.
   */
  upload?: true;
  /** 200 unless said (201 for creations). */
  status?: number;
  handler(ctx: RouteContext<z.infer<P>, z.infer<Q>, z.infer<B>, z.infer<H>>): Promise<z.input<R>>;
}

/** Lets a module list routes with their own schema types checked, then hand them over as one array. */
export function defineRoute<
  P extends z.ZodType,
  Q extends z.ZodType,
  B extends z.ZodType,
  R extends z.ZodType,
  H extends z.ZodType = z.ZodType,
>(route: ApiRoute<P, Q, B, R, H>): ApiRoute {
  return route as unknown as ApiRoute;
}
