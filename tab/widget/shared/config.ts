/** What the host page tells the widget through the loader's `data-*` attributes. */
export interface WidgetConfig {
  /** Origin (and optional path) of the Switchboard server, without a trailing slash. */
  baseUrl: string;
  title: string;
  context: Record<string, unknown>;
  authenticated: boolean;
  userName?: string;
  /**
   * Name of a function on the host page's `window` that returns the signed-in visitor's chat token
   * (a JWT the site's server signed), so the server can vouch for who they are.
   */
  authTokenProvider?: string;
}

export const DEFAULT_TITLE = 'Chat with us';

/**
 * Reads the loader's attributes. `getAttr` is `script.getAttribute`; the script's own URL is the
 * default server so that `<script src="https://host/widget/loader.js">` needs nothing else.
 */
export function readConfig(
  getAttr: (name: string) => string | null,
  scriptSrc: string,
  pageUrl: string,
): WidgetConfig {
  const explicit = getAttr('data-switchboard-url');
  const base = explicit ? new URL(explicit, pageUrl) : new URL(scriptSrc || pageUrl, pageUrl);
  const baseUrl = explicit ? base.href.replace(/\/+$/, '') : base.origin;
  const userName = getAttr('data-user-name')?.trim();
  const authTokenProvider = parseProviderName(getAttr('data-auth-token-provider'));
  return {
    baseUrl,
    title: getAttr('data-title')?.trim() || DEFAULT_TITLE,
    context: parseContext(getAttr('data-context')),
    authenticated: getAttr('data-authenticated') === 'true',
    ...(userName ? { userName } : {}),
    ...(authTokenProvider ? { authTokenProvider } : {}),
  };
}

/**
 * Only a plain global name: the widget looks it up as `window[name]`, so anything else (a path, a
 * call, script) could never name a function there, and is the host's mistake to be told about.
 */
export function parseProviderName(raw: string | null): string | undefined {
  const name = raw?.trim();
  if (!name) return undefined;
  if (/^[A-Za-z_$][\w$]{0,99}$/.test(name)) return name;
  console.warn('[switchboard] data-auth-token-provider is not a function name; ignored');
  return undefined;
}

/** A malformed `data-context` is the host's mistake; the chat must still work, so it becomes `{}`. */
export function parseContext(raw: string | null): Record<string, unknown> {
  if (!raw) return {};
  try {
    const value: unknown = JSON.parse(raw);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through: reported below, never thrown into the host page
  }
  console.warn('[switchboard] data-context is not a JSON object; ignored');
  return {};
}

/**
 * Custom context as the bot accepts it: flat key → string/number/boolean, keys that are safe as
 * document field names. Nested values travel as JSON text rather than being dropped.
 */
export function flatContext(context: Record<string, unknown>): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(context)) {
    if (!/^[A-Za-z][\w-]{0,63}$/.test(key) || value === null || value === undefined) continue;
    if (!['string', 'number', 'boolean', 'object'].includes(typeof value)) continue;
    if (typeof value === 'number' && !Number.isFinite(value)) continue;
    const v = typeof value === 'object' ? JSON.stringify(value) : value;
    out[key] = typeof v === 'string' ? v.slice(0, 1000) : (v as number | boolean);
  }
  return out;
}
