import { isIP } from 'node:net';
import proxyaddr from 'proxy-addr';
import { z } from 'zod';

// Configuration comes from these environment variables only, read once here and passed
// down as a typed object. A wrong value stops start-up with one line naming the variable.

const optionalString = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

const envSchema = z.object({
  PORT: z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .refine((n) => n >= 0 && n <= 65535, 'must be between 0 and 65535')
    .optional(),
  MONGODB_URI: optionalString.refine(
    (v) => v === undefined || /^mongodb(\+srv)?:\/\/.+/.test(v),
    'must start with mongodb:// or mongodb+srv://',
  ),
  DATA_DIR: optionalString,
  MicrosoftAppId: optionalString,
  MicrosoftAppPassword: optionalString,
  MicrosoftAppTenantId: optionalString,
  MicrosoftAppType: z
    .enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI'], {
      error: 'must be MultiTenant, SingleTenant or UserAssignedMSI',
    })
    .optional(),
  TAB_SSO_CLIENT_ID: optionalString,
  PUBLIC_URL: optionalString
    .refine((v) => v === undefined || isWebUrl(v), 'must be an absolute http(s) URL')
    // The tab, the widget and the APIs are served from the root; a path a proxy adds is not followed.
    .refine(
      (v) => v === undefined || !isWebUrl(v) || /^\/*$/.test(new URL(v).pathname),
      'must have no path (https://cc.example.com): Switchboard is served at the root of its host',
    ),
  AUTH_MODE: z.enum(['teams', 'dev'], { error: 'must be teams or dev' }).optional(),
  HOST: optionalString.refine(
    (v) => v === undefined || isIP(v) !== 0 || v === 'localhost',
    'must be an IP address (127.0.0.1, 0.0.0.0, ::1, ::) or localhost',
  ),
  DIRECT_LINE_SECRET: optionalString.refine(
    (v) => v === undefined || /^[A-Za-z0-9._~+/=-]{32,512}$/.test(v),
    'must be at least 32 characters of letters, digits and . _ ~ + / = -',
  ),
  ALLOWED_ORIGINS: optionalString,
  CHAT_AUTH_SECRET: optionalString.refine(
    (v) => v === undefined || v.length >= 32,
    'must be at least 32 characters (the key sites sign signed-in chat tokens with, HS256)',
  ),
  DEMO_DATA: z.enum(['on', 'off'], { error: 'must be on or off' }).optional(),
  TRUST_PROXY: optionalString.refine(
    (v) =>
      v === undefined ||
      v
        .split(',')
        .map((e) => e.trim())
        .filter(Boolean)
        .every(isProxyEntry),
    "must be the reverse proxies' addresses, comma-separated, each an IP address, a CIDR range (10.0.0.0/8) or loopback",
  ),
  CHAT_AUTH_JWKS_URL: optionalString.refine(
    (v) => v === undefined || isKeysUrl(v),
    'must be an https URL (http only on this machine): where the site publishes its public keys (JWKS)',
  ),
});

/**
 * An absolute http(s) URL, written out (`https://host…`) and one the URL parser takes: past here the
 * value is used as a URL without another check (`https://[::1` matches the shape and does not parse).
 */
function isWebUrl(raw: string): boolean {
  if (!/^https?:\/\/[^/]+/.test(raw)) return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.host !== '';
}

/** A `TRUST_PROXY` entry: an IP address, a CIDR range, or proxy-addr's `loopback`/`uniquelocal`. */
function isProxyEntry(entry: string): boolean {
  try {
    proxyaddr.compile(entry);
    return true;
  } catch {
    return false;
  }
}

/** A JWKS URL is fetched for every key the site rotates in: over TLS, unless it is on this machine. */
function isKeysUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return url.protocol === 'http:' && (host === 'localhost' || host === '::1' || host.startsWith('127.'));
}

export interface BotCredentials {
  appId: string;
  appPassword?: string;
  tenantId?: string;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
}

export interface Config {
  port: number;
  /** When set, the MongoDB adapter is used; otherwise the embedded store under `dataDir`. */
  mongodbUri?: string;
  dataDir: string;
  /** Bot Framework app credentials; absent means local mode (no inbound auth). */
  bot?: BotCredentials;
  tabSsoClientId?: string;
  /** The URL people and channels reach this server at (no trailing slash). */
  publicUrl: string;
  authMode: 'teams' | 'dev';
  /**
   * The address the server listens on. Without app credentials (local mode) it is loopback, so a
   * server nobody configured is not reachable from other machines; with credentials every interface.
   */
  host: string;
  /**
   * The Direct Line secret a site's server exchanges for tokens (`Authorization: Bearer <secret>`),
   * as on Azure. Absent: one is generated on first start and kept in the store.
   */
  directLineSecret?: string;
  /**
   * Web origins (`https://shop.example.com`) whose pages may use the widget and the Direct Line
   * channel from a browser. Default: the origin of `publicUrl`.
   */
  allowedOrigins: string[];
  /**
   * The key sites sign their signed-in customers' chat tokens with (HS256): a chat started with one
   * is a verified customer. Absent: every chat is a guest's.
   */
  chatAuthSecret?: string;
  /**
   * Where a site publishes the public keys (JWKS) its server signs chat tokens with (RS256, ES256,
   * PS256), so the site shares no secret with this server. Either this or `chatAuthSecret`, or both.
   */
  chatAuthJwksUrl?: string;
  /** Whether an empty store gets the demo company (Northwind Fiber): `DEMO_DATA`, default on. */
  demoData: boolean;
  /**
   * Reverse proxies (addresses or CIDR ranges) whose `X-Forwarded-For` names the caller, for the
   * per-address limits: `TRUST_PROXY`. Empty: the socket's address is the caller's.
   */
  trustedProxies: string[];
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const SETTINGS = Object.keys(envSchema.shape);

/**
 * Variables named almost like a setting (`MONGODB_URL`, `public_url`): one line each naming the
 * setting meant. Such a typo is otherwise silent — the server starts on the default instead.
 */
export function settingsMisspelled(env: Record<string, string | undefined>): string[] {
  const lines: string[] = [];
  for (const name of Object.keys(env)) {
    if (SETTINGS.includes(name)) continue;
    const meant = SETTINGS.find(
      // Short names are a letter or two from common variables (HOME, HOST): only longer ones
      // count a slip of a letter or two.
      (setting) =>
        setting.toLowerCase() === name.toLowerCase() ||
        editDistance(setting, name) <= Math.min(2, Math.floor(setting.length / 5)),
    );
    if (meant) lines.push(`${name} is not a Switchboard setting and is ignored; did you mean ${meant}?`);
  }
  return lines;
}

/** Levenshtein distance, for names of a few dozen characters. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** Reads and validates the environment; throws `ConfigError` with one line per mistake. */
export function loadConfig(env: NodeJS.ProcessEnv | Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
    throw new ConfigError(lines.join('\n'));
  }
  const e = parsed.data;
  const problems: string[] = [];

  if (e.MicrosoftAppType === 'SingleTenant' && e.MicrosoftAppId && !e.MicrosoftAppTenantId) {
    problems.push('MicrosoftAppTenantId: required when MicrosoftAppType is SingleTenant');
  }
  if (e.MicrosoftAppPassword && !e.MicrosoftAppId) {
    problems.push('MicrosoftAppId: required when MicrosoftAppPassword is set');
  }
  const hasCredentials = Boolean(e.MicrosoftAppId);
  const authMode = e.AUTH_MODE ?? (hasCredentials ? 'teams' : 'dev');
  if (authMode === 'dev' && hasCredentials) {
    problems.push('AUTH_MODE: dev sign-in is only allowed without app credentials (MicrosoftAppId is set)');
  }
  if (authMode === 'teams' && !e.TAB_SSO_CLIENT_ID && !hasCredentials) {
    problems.push('TAB_SSO_CLIENT_ID: required when AUTH_MODE is teams');
  }
  const port = e.PORT ?? 3978;
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
  const origins = parseOrigins(e.ALLOWED_ORIGINS);
  if (typeof origins === 'string') problems.push(`ALLOWED_ORIGINS: ${origins}`);
  if (problems.length > 0) throw new ConfigError(problems.join('\n'));

  return {
    port,
    mongodbUri: e.MONGODB_URI,
    dataDir: e.DATA_DIR ?? './data',
    bot: e.MicrosoftAppId
      ? {
          appId: e.MicrosoftAppId,
          appPassword: e.MicrosoftAppPassword,
          tenantId: e.MicrosoftAppTenantId,
          appType: e.MicrosoftAppType ?? 'MultiTenant',
        }
      : undefined,
    tabSsoClientId: e.TAB_SSO_CLIENT_ID ?? e.MicrosoftAppId,
    publicUrl,
    authMode,
    host: e.HOST ?? (hasCredentials ? '0.0.0.0' : '127.0.0.1'),
    directLineSecret: e.DIRECT_LINE_SECRET,
    allowedOrigins: (origins as string[] | undefined) ?? [new URL(publicUrl).origin],
    chatAuthSecret: e.CHAT_AUTH_SECRET,
    chatAuthJwksUrl: e.CHAT_AUTH_JWKS_URL,
    demoData: e.DEMO_DATA !== 'off',
    trustedProxies: (e.TRUST_PROXY ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  };
}

/**
 * `ALLOWED_ORIGINS`: comma-separated origins, each scheme, host and optional port exactly as a
 * browser sends it in `Origin` (no path, no wildcard: every site that embeds the chat is named).
 * Returns what is wrong as text.
 */
function parseOrigins(raw: string | undefined): string[] | string | undefined {
  if (raw === undefined) return undefined;
  const out: string[] = [];
  for (const item of raw.split(',').map((s) => s.trim())) {
    if (!item) continue;
    let url: URL;
    try {
      url = new URL(item);
    } catch {
      return `"${item}" is not an origin like https://shop.example.com`;
    }
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== item.replace(/\/$/, '')) {
      return `"${item}" is not an origin like https://shop.example.com (scheme, host and port only)`;
    }
    out.push(url.origin);
  }
  return out.length > 0 ? out : 'must name at least one origin';
}
