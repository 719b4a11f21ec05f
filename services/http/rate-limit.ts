import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { HttpError } from './errors.js';

/** `points` actions per `seconds`, per key (an IP address, a conversation). */
export interface Rate {
  points: number;
  seconds: number;
}

/**
 * One named limit (rate-limiter-flexible's in-memory limiter; docs/decisions/0006). `take` spends
 * one point for the key, or throws a 429 `HttpError` whose `retryAfterSeconds` the HTTP layer sends
 * as `Retry-After`, as Direct Line clients expect. Limits are per process: with several instances
 * the effective limit is the sum.
 */
export class RateLimit {
  private readonly limiter: RateLimiterMemory;

  constructor(
    private readonly name: string,
    rate: Rate,
  ) {
    this.limiter = new RateLimiterMemory({ points: rate.points, duration: rate.seconds });
  }

  async take(key: string): Promise<void> {
    try {
      await this.limiter.consume(key, 1);
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      throw tooMany(this.name, Math.max(1, Math.ceil(err.msBeforeNext / 1000)));
    }
  }
}

export function tooMany(what: string, retryAfterSeconds: number): HttpError {
  const err = new HttpError(
    429,
    'rate_limited',
    `Too many requests (${what}); try again in ${retryAfterSeconds} s`,
  );
  err.retryAfterSeconds = retryAfterSeconds;
  return err;
}

/** The caller's address as the socket sees it (behind a reverse proxy, the proxy's). */
export function clientIp(req: { socket?: { remoteAddress?: string } }): string {
  return req.socket?.remoteAddress ?? 'unknown';
}

/**
 * The caller's address behind the reverse proxies named in `TRUST_PROXY` (addresses or CIDR
 * ranges): a request from one of them is from the closest address its `X-Forwarded-For` names that
 * is not itself a trusted proxy (proxy-addr, as Express does it: docs/decisions/0026). Without it
 * every customer behind a TLS proxy shares the proxy's address and its per-address limits. A request
 * from anywhere else is its socket's address, whatever it claims: the header is anyone's to write.
 */
export function clientIpBehind(trusted: readonly string[]): (req: IncomingMessage) => string {
  if (trusted.length === 0) return clientIp;
  const trust = proxyaddr.compile([...trusted]);
  return (req) => (req.socket?.remoteAddress ? proxyaddr(req, trust) : clientIp(req));
}
