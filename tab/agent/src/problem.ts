import { ApiError } from './api.js';

/**
 * What went wrong, in words an agent can act on. A request that got no answer (offline, the server
 * restarting, a gateway giving up) says so rather than the browser's "Failed to fetch"; `retry` says
 * what to do about it where the caller knows (a send keeps the draft). A refusal from the server
 * already reads well ("Sam Morgan is offline") and is shown as it is.
 */
export function problemText(err: unknown, retry = 'Try again in a moment.'): string {
  if (unreachable(err)) return `Couldn't reach Switchboard — check your connection. ${retry}`;
  return err instanceof Error && err.message ? err.message : `Something went wrong. ${retry}`;
}

function unreachable(err: unknown): boolean {
  if (err instanceof ApiError) return err.status === 502 || err.status === 503 || err.status === 504;
  // fetch rejects with a TypeError, and only then, when no answer came at all.
  return err instanceof TypeError;
}
