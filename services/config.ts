import { z } from 'zod';

// DESIGN.md §8: configuration comes from these environment variables only, read once here and passed
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
  PUBLIC_URL: optionalString.refine(
    (v) => v === undefined || /^https?:\/\/[^/]+/.test(v),
    'must be an absolute http(s) URL',
  ),
  AUTH_MODE: z.enum(['teams', 'dev'], { error: 'must be teams or dev' }).optional(),
});

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
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
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
  if (problems.length > 0) throw new ConfigError(problems.join('\n'));

  const port = e.PORT ?? 3978;
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
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    authMode,
  };
}
