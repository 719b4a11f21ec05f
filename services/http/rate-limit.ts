import { BlockList, isIP } from 'node:net';
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

type Caller = {
  socket?: { remoteAddress?: string };
  headers?: Record<string, string | string[] | undefined>;
};

/** The caller's address as the socket sees it (behind a reverse proxy, the proxy's). */
export function clientIp(req: Caller): string {
  return req.socket?.remoteAddress ?? 'unknown';
}

/**
 * The caller's address behind the reverse proxies named in `TRUST_PROXY` (addresses or CIDR
 * ranges): a request from one of them is from the last address its `X-Forwarded-For` names that is
 * not itself a trusted proxy. Without it every customer behind a TLS proxy shares the proxy's
 * address and its per-address limits (30 new chats in 10 minutes for the whole site). A request
 * from anywhere else is its socket's address, whatever it claims: the header is anyone's to write.
 */
export function clientIpBehind(trusted: readonly string[]): (req: Caller) => string {
  if (trusted.length === 0) return clientIp;
  const proxies = new BlockList();
  for (const entry of trusted) {
    const [address, bits] = entry.split('/') as [string, string | undefined];
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) proxies.addAddress(address, family);
    else proxies.addSubnet(address, Number(bits), family);
  }
  const isProxy = (raw: string) => {
    const address = plainAddress(raw);
    const family = isIP(address);
    return family !== 0 && proxies.check(address, family === 6 ? 'ipv6' : 'ipv4');
  };
  return (req) => {
    const peer = clientIp(req);
    if (!isProxy(peer)) return peer;
    const header = req.headers?.['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map((h) => plainAddress(h.trim()))
      .filter((h) => isIP(h) !== 0);
    for (let i = hops.length - 1; i >= 0; i--) if (!isProxy(hops[i]!)) return hops[i]!;
    return hops[0] ?? peer;
  };
}

/** `::ffff:10.0.0.1` as the IPv4 address it is, so one list of proxies serves both socket kinds. */
function plainAddress(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}
