import type { IncomingHttpHeaders, IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';

// The server's shared protections, handed to the bot by the composition root (services/app.ts):
// the bot's endpoints use the same origin policy, rate limits and single upgrade owner as the rest
// of the server without importing the API layer (docs/architecture.md, "Layers").

/** Which pages may use the customer-facing endpoints from a browser. */
export interface OriginCheck {
  /** True for a browser request from an allowed page; false for any other Origin, or none. */
  allows(headers: IncomingHttpHeaders): boolean;
  /** True when a browser says where it comes from and that place is not allowed. */
  refuses(headers: IncomingHttpHeaders): boolean;
}

/** `points` actions per `seconds`, per key (an address, a conversation). */
export interface Rate {
  points: number;
  seconds: number;
}

/**
 * One named limit. `take` spends a point for the key or rejects with a 429 refusal (an error with
 * `status`, `code` and `retryAfterSeconds`, which `bot/http.ts` answers as it is).
 */
export interface Limiter {
  take(key: string): Promise<void>;
}

/** Completes an upgrade or refuses it by throwing a refusal (answered with its status, socket closed). */
export type UpgradeHandler = (
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  url: URL,
) => void | Promise<void>;

export interface EdgeGuards {
  origins: OriginCheck;
  limit(name: string, rate: Rate): Limiter;
  /** The key per-address limits count by. */
  clientIp(req: IncomingMessage): string;
  /** Routes upgrades under `prefix` to `handler`; returns the unregistration. */
  registerUpgrade(server: Server, prefix: string, handler: UpgradeHandler): () => void;
}
