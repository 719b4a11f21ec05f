import type { TurnContext } from 'botbuilder';
import type { Deps, StoredEvent } from '../../services/domain/index.js';
import type { Logger } from '../../services/log.js';
import type { DocumentStore } from '../../services/store/index.js';
import { httpConnector } from './connector.js';
import { createTeamsAlerts } from './alerts.js';
import { createConsultRelay } from './consult-relay.js';
import { createOfferCards } from './offer-cards.js';
import type { TeamsServices } from './ports.js';
import { ProactiveSender } from './proactive-sender.js';
import { TeamsBot } from './teams-bot.js';

export type { TeamsServices } from './ports.js';

export interface TeamsBotOptions {
  services: TeamsServices;
  store: DocumentStore;
  bus: { subscribe(listener: (event: StoredEvent) => void): () => void };
  deps: Deps;
  log: Logger;
  /** The bearer token for Bot Connector calls to a service URL (undefined in local mode). */
  token(serviceUrl: string): Promise<string | undefined>;
  /** Refuses service URLs the bot must not send to. */
  checkServiceUrl?(serviceUrl: string): void;
  /** The public URL of this server, for links into the agent workspace. */
  publicUrl(): string;
  /** The Teams app id (= the bot's app id) for deep links into the app's tabs; '' in local mode. */
  teamsAppId: string;
}

export interface MountedTeamsBot {
  accepts(context: TurnContext): Promise<boolean>;
  run(context: TurnContext): Promise<void>;
  /** Resolves when every card and update started so far has been delivered (tests). */
  idle(): Promise<void>;
  stop(): void;
}

/** The Teams bot for agents and supervisors, its proactive sender and its event listeners. */
export async function createTeamsBot(o: TeamsBotOptions): Promise<MountedTeamsBot> {
  const log = o.log.child({ part: 'teams' });
  const sender = new ProactiveSender({
    connector: httpConnector({ token: o.token, checkServiceUrl: o.checkServiceUrl }),
    now: o.deps.now,
    random: o.deps.random,
    log,
  });
  const workspaceUrl = (conversationId: string) =>
    o.teamsAppId
      ? `https://teams.microsoft.com/l/entity/${o.teamsAppId}/workspace?context=${encodeURIComponent(
          JSON.stringify({ subEntityId: conversationId }),
        )}`
      : `${o.publicUrl()}/tab/?view=agent&conversation=${encodeURIComponent(conversationId)}`;
  const ctx = { ...o.services, store: o.store, sender, bus: o.bus, deps: o.deps, log, workspaceUrl };
  const offers = await createOfferCards(ctx);
  const consults = await createConsultRelay(ctx);
  const alerts = await createTeamsAlerts(ctx);
  const bot = new TeamsBot(ctx, offers, consults);
  return {
    accepts: (context) => bot.accepts(context),
    run: (context) => bot.run(context),
    async idle() {
      for (let i = 0; i < 3; i++) {
        await Promise.all([offers.idle(), consults.idle(), alerts.idle()]);
        await sender.idle();
      }
    },
    stop() {
      offers.stop();
      consults.stop();
      alerts.stop();
    },
  };
}
export { botTokenSource } from './bot-token.js';
