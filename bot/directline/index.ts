import type restify from 'restify';
import type { Deps } from '../../services/domain/index.js';
import type { Logger } from '../../services/log.js';
import type { DocumentStore } from '../../services/store/index.js';
import { createActivityLog } from './activity-log.js';
import { createDirectLineChannel, type BotDelivery, type DirectLineChannel } from './channel.js';
import { mountDirectLineRoutes } from './routes.js';
import { mountDirectLineStream } from './stream.js';
import { createDirectLineTokens } from './tokens.js';

export { MAX_TEXT_CHARS } from './schemas.js';
export { TOKEN_TTL_SECONDS } from './tokens.js';
export type { BotDelivery, DirectLineChannel } from './channel.js';

export interface DirectLineOptions {
  store: DocumentStore;
  deliver: BotDelivery;
  /** Where the bot and clients reach this server (serviceUrl and streamUrl are built on it). */
  baseUrl: () => string;
  botId: string;
  deps: Deps;
  log: Logger;
  /** Checks the bot's token on the Bot Connector routes; absent in local mode. */
  verifyBotCaller?: (authorization: string | undefined) => Promise<void>;
}

export interface MountedDirectLine {
  channel: DirectLineChannel;
  close(): void;
}

/** The local Direct Line 3.0 channel at `/v3/directline`: REST, WebSocket stream, Bot Connector routes. */
export async function mountDirectLine(
  server: restify.Server,
  opts: DirectLineOptions,
): Promise<MountedDirectLine> {
  const log = await createActivityLog(opts.store);
  const tokens = await createDirectLineTokens(opts.store, opts.deps.now);
  const channel = createDirectLineChannel({
    log,
    tokens,
    deliver: opts.deliver,
    baseUrl: opts.baseUrl,
    botId: opts.botId,
    deps: opts.deps,
    logger: opts.log,
  });
  mountDirectLineRoutes(server, channel, opts.log, opts.verifyBotCaller);
  const stream = mountDirectLineStream(server, channel, log, opts.log);
  // Redelivery needs the bot's endpoint: wait until the server listens (now, if it already does).
  const recover = () => {
    channel.recover().catch((err: unknown) => opts.log.error('direct line recovery failed', { err }));
  };
  if (server.server.listening) recover();
  else server.server.once('listening', recover);
  return { channel, close: () => stream.close() };
}
