import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type TurnContext,
} from 'botbuilder';
import type { ServiceClientCredentialsFactory } from 'botframework-connector';
import type { Config } from '../services/config.js';
import type { Logger } from '../services/log.js';

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

export interface BotAdapter {
  adapter: CloudAdapter;
  auth: ConfigurationBotFrameworkAuthentication;
  /** The bot's app id ('' in local mode), used for proactive turns. */
  appId: string;
  /** Whether inbound requests must carry a Bot Connector token. */
  authenticated: boolean;
}

/**
 * The CloudAdapter for `/api/messages`. With `MicrosoftAppId` configured every inbound request must
 * carry a valid Bot Framework JWT (else 401); without it the bot runs in local mode, unauthenticated,
 * and says so once in the log.
 */
export function createBotAdapter(config: Config, log: Logger, overrides?: BotAuthOverrides): BotAdapter {
  const bot = config.bot;
  let auth: ConfigurationBotFrameworkAuthentication;
  if (bot) {
    auth = new ConfigurationBotFrameworkAuthentication(
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
        'POST /api/messages accepts unauthenticated requests; set MicrosoftAppId and MicrosoftAppPassword for Azure Bot Service',
    });
    auth = new ConfigurationBotFrameworkAuthentication({}, overrides?.credentialsFactory);
  }
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    log.error('bot turn failed', {
      err: error,
      channelId: context.activity.channelId,
      channelConversationId: context.activity.conversation?.id,
    });
  };
  return { adapter, auth, appId: bot?.appId ?? '', authenticated: Boolean(bot) };
}
