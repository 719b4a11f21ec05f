import type restify from 'restify';
import type { Deps } from '../../services/domain/index.js';
import type { EdgeGuards } from '../guards.js';
import type { Logger } from '../../services/log.js';
import type { DocumentStore } from '../../services/store/index.js';
import { createActivityLog } from './activity-log.js';
import {
  createDirectLineChannel,
  type BotDelivery,
  type ChannelFiles,
  type DirectLineChannel,
} from './channel.js';
import { dlErrors } from './errors.js';
import { sameSecret, type ChannelKeys } from './keys.js';
import { DEFAULT_LIMITS, type DirectLineLimits } from './limits.js';
import { mountDirectLineRoutes } from './routes.js';
import { mountDirectLineStream } from './stream.js';
import { createSignedInCustomers } from './signed-in.js';
import { bearer, createDirectLineTokens } from './tokens.js';

export { MAX_ACTIVITY_BYTES, MAX_TEXT_CHARS } from './schemas.js';
export { TOKEN_TTL_SECONDS } from './tokens.js';
export { DEFAULT_LIMITS, type DirectLineLimits } from './limits.js';
export { CHAT_AUTH_AUDIENCE, type VerifiedCustomer } from './signed-in.js';
export { loadChannelKeys, sameSecret, type ChannelKeys } from './keys.js';
export {
  channelFileUrl,
  fileReader,
  isLocalChannelUrl,
  type BotDelivery,
  type ChannelFiles,
  type DirectLineChannel,
} from './channel.js';

export interface DirectLineOptions {
  store: DocumentStore;
  /** Where uploaded files are kept (the transcript's store: agents open them from there). */
  files: ChannelFiles;
  /** The key sites sign their signed-in customers' chat tokens with (`CHAT_AUTH_SECRET`). */
  chatAuthSecret?: string;
  /** Where a site publishes the public keys it signs those tokens with (`CHAT_AUTH_JWKS_URL`). */
  chatAuthJwksUrl?: string;
  keys: ChannelKeys;
  deliver: BotDelivery;
  /** Where the bot and clients reach this server (serviceUrl and streamUrl are built on it). */
  baseUrl: () => string;
  botId: string;
  deps: Deps;
  log: Logger;
  /** Origins, rate limits and the upgrade owner the channel and the widget token share with the server. */
  edge: EdgeGuards;
  limits?: DirectLineLimits;
  /**
   * Checks the bot's Bot Connector token on the reply routes (authenticated mode). Without it the
   * bot must present its per-install secret (local mode): the reply routes are never open.
   */
  verifyBotCaller?: (authorization: string | undefined) => Promise<void>;
}

export interface MountedDirectLine {
  channel: DirectLineChannel;
  /** Whether `url` is another instance's channel on this store, and whether it lives (`siblingChannel`). */
  siblingChannel(url: string): Promise<'live' | 'silent' | undefined>;
  close(): void;
}

const RETENTION_SWEEP_MS = 10 * 60_000;

/** The local Direct Line 3.0 channel at `/v3/directline`: REST, WebSocket stream, Bot Connector routes. */
export async function mountDirectLine(
  server: restify.Server,
  opts: DirectLineOptions,
): Promise<MountedDirectLine> {
  const log = await createActivityLog(opts.store);
  const tokens = createDirectLineTokens(opts.keys.tokenKey, opts.deps.now);
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const channel = createDirectLineChannel({
    log,
    files: opts.files,
    signedIn: createSignedInCustomers(
      { secret: opts.chatAuthSecret, jwksUrl: opts.chatAuthJwksUrl },
      opts.deps.now,
    ),
    tokens,
    visitorKey: opts.keys.tokenKey,
    deliver: opts.deliver,
    baseUrl: opts.baseUrl,
    botId: opts.botId,
    deps: opts.deps,
    logger: opts.log,
  });
  const botSecret = opts.keys.botSecret;
  mountDirectLineRoutes(server, channel, opts.log, {
    isSecret: (presented) => sameSecret(presented, opts.keys.directLineSecret),
    verifyBotCaller:
      opts.verifyBotCaller ??
      (async (authorization) => {
        if (!sameSecret(bearer(authorization), botSecret)) throw dlErrors.unauthorizedBot();
      }),
    edge: opts.edge,
    limits,
  });
  const stream = mountDirectLineStream(server, channel, log, opts.log, {
    edge: opts.edge,
    limits,
    now: opts.deps.now,
  });
  const sweep = () => {
    channel
      .sweep(limits.retentionMs, limits.maxConversationAgeMs)
      .catch((err: unknown) => opts.log.error('direct line retention sweep failed', { err }));
  };
  const sweeper = setInterval(sweep, RETENTION_SWEEP_MS);
  sweeper.unref();
  // Looked at a few times per away time, so a customer counts as gone within a quarter of it late.
  const goneWatch = setInterval(
    () => {
      channel
        .tellGone(limits.customerAwayMs)
        .catch((err: unknown) => opts.log.error('telling the bot of customers who left failed', { err }));
    },
    Math.min(15_000, Math.max(50, limits.customerAwayMs / 4)),
  );
  goneWatch.unref();
  // A third of the disconnected time late at most: the agent learns it within 20 s by default.
  const disconnectedWatch = setInterval(
    () => channel.tellDisconnected(limits.customerDisconnectedMs),
    Math.max(50, limits.customerDisconnectedMs / 3),
  );
  disconnectedWatch.unref();
  // Several instances on one database: each takes over what one that stopped had acknowledged and
  // not delivered, without waiting for that one to start again.
  const takeOver = setInterval(
    () => {
      channel
        .takeOver(limits.instanceGraceMs)
        .catch((err: unknown) => opts.log.error('direct line takeover failed', { err }));
    },
    Math.max(50, limits.instanceGraceMs / 4),
  );
  takeOver.unref();
  // The bot's replies to redelivered activities reach the channel over HTTP: wait until the server
  // listens (now, if it already does).
  const recover = () => {
    channel
      .recover(limits.instanceGraceMs)
      .catch((err: unknown) => opts.log.error('direct line recovery failed', { err }));
    // At once too, not only 10 minutes on: after a long stop the expired activities go now, and the
    // store orders their times for the later sweeps while the server is starting, not at a peak.
    sweep();
  };
  if (server.server.listening) recover();
  else server.server.once('listening', recover);
  return {
    channel,
    siblingChannel: (url) => channel.siblingChannel(url, limits.instanceGraceMs),
    close: () => {
      clearInterval(sweeper);
      clearInterval(goneWatch);
      clearInterval(disconnectedWatch);
      clearInterval(takeOver);
      stream.close();
      channel.leave().catch((err: unknown) => opts.log.warn('direct line could not say it stopped', { err }));
    },
  };
}
