import { isIP } from 'node:net';

/**
 * Which names this server answers to. In local mode the dev sign-in lets anyone who reaches the
 * server act as any agent, and "reaching it" includes any web page through DNS rebinding: a page at
 * attacker.example re-points its own name at 127.0.0.1 and then talks to this server as its own
 * origin, Host `attacker.example:PORT`. What the browser cannot hide is that Host: so the agent API
 * answers only under names the installation chose (Vite and webpack-dev-server do the same).
 */
export interface HostCheck {
  /** True when the request's `Host` header names this server. */
  allows(host: string | undefined): boolean;
}

/** Teams mode: the server is meant to be reached under any name a proxy or load balancer gives it. */
export const ANY_HOST: HostCheck = { allows: () => true };

/**
 * `localhost`, and any IP address (an address cannot be re-pointed; rebinding needs a name, and a
 * page of another origin calling an address is cross-origin, refused as such), and the hosts of the
 * given URLs (PUBLIC_URL, ALLOWED_ORIGINS: names an administrator chose). The port is not compared:
 * rebinding changes the name, never needs another port.
 */
export function namedHosts(urls: readonly string[]): HostCheck {
  const names = new Set(['localhost']);
  for (const u of urls) {
    const name = hostnameOf(u);
    if (name) names.add(name);
  }
  return {
    allows(host) {
      const name = host ? hostnameOf(`http://${host}`) : undefined;
      if (!name) return false;
      return names.has(name) || isIP(name.replace(/^\[|\]$/g, '')) !== 0;
    },
  };
}

function hostnameOf(url: string): string | undefined {
  try {
    const { hostname, username, password, pathname, search } = new URL(url);
    // A Host header is a name and a port; anything more is no host of ours.
    if (username || password || search || (pathname !== '/' && pathname !== '')) return undefined;
    return hostname.toLowerCase() || undefined;
  } catch {
    return undefined;
  }
}
