import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import {
  AuthenticationError,
  JwtTokenValidation,
  ServiceClientCredentialsFactory,
  type ConnectorClient,
  ConnectorFactory,
  type AuthenticateRequestResult,
  type ServiceClientCredentials,
  type ClaimsIdentity,
  type UserTokenClient,
} from 'botframework-connector';
import type { Request, Response } from 'restify';
import { z } from 'zod';
import type { Config } from '../services/config.js';
import { ChannelError } from './http.js';
import { PromiseCache } from './promise-cache.js';
import type { Logger } from '../services/log.js';
import { isLoopbackUrl, type InboundTrust } from './inbound-trust.js';
import { channelConnector, type OwnChannel } from './channel-connector.js';

/**
 * Test-only redirections of Bot Framework authentication to local stand-ins (an OpenID metadata +
 * JWKS server, a token endpoint). Never read from the environment: production always talks to the
 * real Bot Connector and Entra ID endpoints.
 */
export interface BotAuthOverrides {
  /** Passed through to `ConfigurationBotFrameworkAuthentication`, e.g. `ToBotFromChannelOpenIdMetadataUrl`. */
  options?: Partial<ConfigurationBotFrameworkAuthenticationOptions>;
  /**
   * Credentials for the bot's outbound calls. MSAL accepts only https authorities, so an offline
   * test hands in a factory that fetches tokens from its local endpoint instead.
   */
  credentialsFactory?: ServiceClientCredentialsFactory;
  /** JWKS the Direct Line channel checks the bot's outbound tokens against (default: Entra ID's). */
  botTokenJwksUrl?: string;
}

/** A CloudAdapter whose turn runs on a request this server has already authenticated. */
export class SwitchboardAdapter extends CloudAdapter {
  run(
    auth: AuthenticateRequestResult,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(auth, activity, logic);
  }
}

/** User token clients kept, one per bot app id (the caller's claims name it). */
const USER_TOKEN_CLIENT_CACHE_SIZE = 100;

/**
 * botbuilder builds new clients — credentials, an API client and its whole HTTP pipeline — for every
 * turn and every proactive send: a UserTokenClient whether the turn signs anyone in or not (≈ 3 % of
 * a customer message's CPU in the message-path profile) and a ConnectorClient for the replies (a few
 * per cent more). Neither holds per-turn state and their credentials renew their own tokens, so
 * they are kept and reused, whichever way a turn arrived (`/api/messages`, the channel's in-process
 * delivery, a proactive send).
 */
export class SwitchboardAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly userTokenClients = new PromiseCache<UserTokenClient>(USER_TOKEN_CLIENT_CACHE_SIZE);
  private readonly connectors = new ConnectorCache();

  override createUserTokenClient(identity: ClaimsIdentity): Promise<UserTokenClient> {
    const appId = JwtTokenValidation.getAppIdFromClaims(identity.claims) ?? '';
    return this.userTokenClients.get(appId, () => super.createUserTokenClient(identity));
  }

  override createConnectorFactory(identity: ClaimsIdentity): ConnectorFactory {
    return this.connectors.reusing(identity, super.createConnectorFactory(identity));
  }

  override async authenticateRequest(
    activity: Activity,
    authHeader: string,
  ): Promise<AuthenticateRequestResult> {
    const result = await super.authenticateRequest(activity, authHeader);
    const inner = result.connectorFactory;
    return inner
      ? { ...result, connectorFactory: this.connectors.reusing(result.claimsIdentity, inner) }
      : result;
  }

  /** Replies to this server's own Direct Line channel are handed to it in-process (channel-connector.ts). */
  useOwnChannel(channel: OwnChannel): void {
    this.connectors.own = channel;
  }
}

export interface BotAdapter {
  adapter: SwitchboardAdapter;
  auth: SwitchboardAuthentication;
  /** The bot's app id ('' in local mode), used for proactive turns. */
  appId: string;
  /** Whether inbound requests must carry a Bot Connector token. */
  authenticated: boolean;
}

/** How the bot reaches its own Direct Line channel in local mode. */
export interface LocalChannel {
  /** The channel's serviceUrl (`<base>/v3/directline`), read when needed. */
  serviceUrl(): string;
  /** The per-install secret the bot presents to its channel. */
  botSecret: string;
  /**
   * Whether `url` is the channel of another instance of this install on the same store (registered
   * there, not guessed from the URL), and whether it lives.
   */
  siblingChannel(url: string): Promise<'live' | 'silent' | undefined>;
}

/**
 * The CloudAdapter for `/api/messages`. With `MicrosoftAppId` configured every inbound request must
 * carry a valid Bot Framework JWT (else 401); without it the bot runs in local mode, unauthenticated,
 * and says so once in the log. In local mode its outbound calls still authenticate to its own
 * channel (with the per-install bot secret) and go nowhere but there and to a loopback emulator.
 */
export function createBotAdapter(
  config: Config,
  log: Logger,
  overrides?: BotAuthOverrides,
  local?: LocalChannel,
): BotAdapter {
  const bot = config.bot;
  let auth: SwitchboardAuthentication;
  if (bot) {
    auth = new SwitchboardAuthentication(
      {
        MicrosoftAppId: bot.appId,
        MicrosoftAppPassword: bot.appPassword,
        MicrosoftAppTenantId: bot.tenantId,
        MicrosoftAppType: bot.appType,
        ...overrides?.options,
      },
      overrides?.credentialsFactory,
    );
  } else {
    log.warn('bot authentication is off (local mode)', {
      reason: 'MicrosoftAppId is not set',
      effect:
        'POST /api/messages accepts activities only from this server’s own Direct Line channel and from an emulator on this machine; set MicrosoftAppId and MicrosoftAppPassword for Azure Bot Service',
    });
    auth = new SwitchboardAuthentication(
      {},
      overrides?.credentialsFactory ?? (local ? new LocalCredentialsFactory(local) : undefined),
    );
  }
  const adapter = new SwitchboardAdapter(auth);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    log.error('bot turn failed', {
      err: error,
      channelId: context.activity.channelId,
      channelConversationId: context.activity.conversation?.id,
    });
  };
  return { adapter, auth, appId: bot?.appId ?? '', authenticated: Boolean(bot) };
}

/**
 * Local mode's outbound credentials: the bot secret on calls to its own channel or a live sibling
 * instance's, nothing on calls to a loopback emulator, and a refusal for anything else — whatever
 * serviceUrl a stored conversation reference names, the bot sends nowhere it has no reason to trust.
 * An emulator's serviceUrl is the caller's choice: one shaped like a channel on another port must
 * not get the secret (which opens every conversation's bot-reply route), so a sibling is only one
 * the store has registered.
 */
class LocalCredentialsFactory extends ServiceClientCredentialsFactory {
  constructor(private readonly channel: LocalChannel) {
    super();
  }
  async isValidAppId(appId: string): Promise<boolean> {
    return !appId;
  }
  async isAuthenticationDisabled(): Promise<boolean> {
    return true;
  }
  async createCredentials(): Promise<ServiceClientCredentials> {
    const channel = this.channel;
    return {
      async signRequest(webResource) {
        const url = webResource.url;
        // Another instance of this install (same store, same bot secret) serves its own channel
        // URL; its conversations' replies carry the secret there too.
        if (url.startsWith(`${channel.serviceUrl()}/`) || (await channel.siblingChannel(url)) === 'live') {
          webResource.headers.set('Authorization', `Bearer ${channel.botSecret}`);
          return webResource;
        }
        if (isLoopbackUrl(url)) return webResource;
        throw new Error(
          `The bot does not send to ${new URL(url).origin}: not its channel, not on this machine`,
        );
      },
    };
  }
}

/** The shape `/api/messages` accepts before the adapter sees it: a clear 400 instead of a 500. */
const inboundActivity = z
  .object({
    type: z.string().min(1),
    channelId: z.string().min(1),
    serviceUrl: z.string().min(1),
    conversation: z.object({ id: z.string().min(1) }).passthrough(),
    from: z.object({ id: z.string().min(1) }).passthrough(),
    text: z.string().max(100_000).optional(),
  })
  .passthrough();

/**
 * `POST /api/messages`: validate the activity, let `trust` refuse senders and serviceUrls the bot has
 * no reason to believe, authenticate (Bot Connector token, or local mode), run the turn, answer with
 * the invoke response. Authentication failures are a clean 401, an identity provider the server
 * cannot reach a 503 naming it — never a library's error text.
 */
export function messagesEndpoint(
  bot: BotAdapter,
  trust: InboundTrust,
  log: Logger,
  logic: (context: TurnContext) => Promise<void>,
) {
  return async (req: Request, res: Response): Promise<void> => {
    const parsed = inboundActivity.safeParse(req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const why = `${issue?.path.join('.') || 'activity'}: ${issue?.message}`;
      throw new ChannelError(400, 'bot.invalid_activity', why);
    }
    const activity = withDates(parsed.data as unknown as Activity);
    const authorization = await trust.check(req, activity);
    let authResult: AuthenticateRequestResult;
    try {
      authResult = await bot.auth.authenticateRequest(activity, authorization);
    } catch (err) {
      if (!keySourceUnavailable(err)) {
        throw new ChannelError(401, 'bot.unauthorized', 'The Bot Connector token is missing or invalid');
      }
      log.error('bot authentication could not run', { err });
      const unavailable = new ChannelError(
        503,
        'bot.auth_unavailable',
        'Bot Framework authentication is unavailable (the signing keys could not be fetched); try again later',
      );
      unavailable.retryAfterSeconds = 30;
      throw unavailable;
    }
    const invoke = await bot.adapter.run(authResult, activity, logic);
    res.send(invoke?.status ?? 200, invoke?.body);
  };
}

/**
 * Whether authentication failed because the signing keys could not be read (the OpenID metadata or
 * its keys endpoint down, unreachable or answering garbage) rather than because of the token. Only
 * that is the server's trouble (503); botbuilder lets jsonwebtoken's refusals of a token (an
 * algorithm it does not allow, `nbf` in the future, a bad signature) through as they are, and those
 * are the caller's (401), like its own AuthenticationError with 401.
 */
function keySourceUnavailable(err: unknown): boolean {
  // OpenIdMetadata reports a non-2xx answer from the metadata or keys endpoint as a 500.
  if (err instanceof AuthenticationError) return err.statusCode >= 500;
  // node-fetch's error for a request that failed (refused, reset, DNS) or a body that is not JSON.
  return (err as { name?: unknown } | null)?.name === 'FetchError';
}

/** Connector clients kept, one per bot identity, service URL and audience. */
const CONNECTOR_CACHE_SIZE = 500;

/** How long a check that another instance's channel answers holds (`SiblingChannels`). */
const SIBLING_CHECK_MS = 5000;
const SIBLING_TIMEOUT_MS = 2000;

/**
 * Whether the instances serving other Direct Line channel URLs answer. A conversation that began on
 * another instance of this install is written to over HTTP there while it answers, as its customer's
 * stream is open there and hears only what that instance stores; once it is down, this instance's
 * own channel takes it (the activity log is shared, and the customer reconnects here).
 */
class SiblingChannels {
  private readonly checked = new Map<string, { answers: Promise<boolean>; at: number }>();

  answers(serviceUrl: string): Promise<boolean> {
    const base = serviceUrl.replace(/\/+$/, '').replace(/\/v3\/directline$/i, '');
    const now = Date.now();
    const known = this.checked.get(base);
    if (known && now - known.at < SIBLING_CHECK_MS) return known.answers;
    // Any answer counts (a 503 while its database is away): only an instance that is not there fails.
    const answers = fetch(`${base}/api/health`, { signal: AbortSignal.timeout(SIBLING_TIMEOUT_MS) }).then(
      () => true,
      () => false,
    );
    this.checked.set(base, { answers, at: now });
    return answers;
  }
}

/**
 * Connector clients per bot app id (from the caller's claims), service URL and audience — as the
 * older BotFrameworkAdapter kept them. The service URL of this server's own channel gets the
 * in-process client, and so does another instance's channel on the same store when that instance
 * does not answer: its conversations are in the shared activity log.
 */
class ConnectorCache {
  private readonly clients = new PromiseCache<ConnectorClient>(CONNECTOR_CACHE_SIZE);
  private readonly siblings = new SiblingChannels();
  own?: OwnChannel;

  /**
   * False for another instance's channel that is silent or does not answer (its conversations are
   * then this instance's to write, into the shared log); true for one that does and for any URL that
   * is no sibling's (an emulator's, the Bot Connector's), which go over HTTP.
   */
  private async siblingAnswers(own: OwnChannel, serviceUrl: string): Promise<boolean> {
    const sibling = await own.siblingChannel?.(serviceUrl);
    if (sibling === undefined) return true;
    return sibling === 'live' && this.siblings.answers(serviceUrl);
  }

  reusing(identity: ClaimsIdentity, inner: ConnectorFactory): ConnectorFactory {
    return new CachedConnectors(this, JwtTokenValidation.getAppIdFromClaims(identity.claims) ?? '', inner);
  }

  async create(
    appId: string,
    inner: ConnectorFactory,
    serviceUrl: string,
    audience?: string,
  ): Promise<ConnectorClient> {
    const own = this.own;
    if (
      own &&
      (sameServiceUrl(serviceUrl, own.serviceUrl()) || !(await this.siblingAnswers(own, serviceUrl)))
    ) {
      return this.clients.get(JSON.stringify(['own channel', serviceUrl]), async () =>
        channelConnector(own, serviceUrl),
      );
    }
    return this.clients.get(JSON.stringify([appId, serviceUrl, audience ?? null]), () =>
      inner.create(serviceUrl, audience),
    );
  }
}

// A class rather than an object literal with an arrow: one is made per inbound activity, and under
// tsx (esbuild's keepNames) every named closure made per call also pays a `name` definition.
class CachedConnectors extends ConnectorFactory {
  constructor(
    private readonly cache: ConnectorCache,
    private readonly appId: string,
    private readonly inner: ConnectorFactory,
  ) {
    super();
  }

  create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    return this.cache.create(this.appId, this.inner, serviceUrl, audience);
  }
}

function normalUrl(url: string): string {
  return url.trim().replace(/\/+$/, '').toLowerCase();
}

function sameServiceUrl(a: string, b: string): boolean {
  return normalUrl(a) === normalUrl(b);
}

/** What botbuilder's own `process` does to an incoming activity's timestamps. */
function withDates(activity: Activity): Activity {
  const raw = activity as unknown as Record<string, unknown>;
  for (const field of ['timestamp', 'localTimestamp', 'expiration'] as const) {
    const value = raw[field];
    if (typeof value === 'string') {
      raw[`raw${field[0]!.toUpperCase()}${field.slice(1)}`] = value;
      raw[field] = new Date(value);
    }
  }
  return activity;
}
