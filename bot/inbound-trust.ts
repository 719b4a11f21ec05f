import { isIP } from 'node:net';
import type { Activity } from 'botbuilder';
import type { Request } from 'restify';
import { ChannelError } from './http.js';
import type { DocumentStore } from '../services/store/index.js';

/**
 * Who may hand the bot an activity at `/api/messages`, and therefore where its replies go (the
 * activity's `serviceUrl`). `check` throws a 4xx `ChannelError` for anything refused, before anything is
 * stored or sent, and returns the Authorization header the adapter should authenticate.
 *
 * - With app credentials, the Bot Connector token vouches for the sender and its serviceUrl (botbuilder
 *   checks the token's `serviceurl` claim): nothing more here.
 * - In local mode nobody vouches, so only a Bot Framework Emulator on this machine is believed
 *   (channel `emulator`, or `msteams` as Agents Playground plays Teams; a loopback serviceUrl, a
 *   loopback peer). This server's own Direct Line channel does not come this way: it hands its
 *   activities to the bot in-process, so a `directline` activity here is refused. A browser never
 *   talks to this endpoint, so a request with an `Origin` is refused (cross-site posts, DNS rebinding).
 *   A conversation stays bound to the channel and serviceUrl it started with: an activity claiming it
 *   from elsewhere changes nothing.
 */
export interface InboundTrust {
  check(req: Request, activity: Activity): Promise<string>;
}

interface Binding {
  key: string;
  serviceUrl: string;
}

export async function createInboundTrust(opts: {
  store: DocumentStore;
  authenticated: boolean;
}): Promise<InboundTrust> {
  if (opts.authenticated) {
    return { check: async (req) => String(req.headers.authorization ?? '') };
  }
  const bindings = opts.store.collection<Binding>('bot_conversation_bindings');
  await bindings.ensureIndex({ keys: { key: 1 }, unique: true });

  return {
    async check(req, activity) {
      if (req.headers.origin !== undefined) {
        throw new ChannelError(
          403,
          'bot.browser_not_allowed',
          'The bot endpoint does not take requests from web pages',
        );
      }
      const serviceUrl = normalized(activity.serviceUrl);
      // The channel hands its activities to the bot in-process (bot/delivery.ts): nobody speaks
      // for a directline conversation here, whatever serviceUrl or secret the request carries.
      if (activity.channelId === 'directline') {
        throw untrusted('directline conversations belong to this server’s own channel');
      }
      const emulator =
        LOCAL_EMULATOR_CHANNELS.has(activity.channelId) &&
        isLoopbackUrl(serviceUrl) &&
        isLoopbackAddress(req.socket?.remoteAddress);
      if (!emulator)
        throw untrusted('in local mode only an emulator on this machine may name its own serviceUrl');
      const key = `${activity.channelId}:${activity.conversation.id}`;
      await bindings.updateOne({ key }, { $setOnInsert: { serviceUrl } }, { upsert: true });
      const bound = await bindings.findOne({ key });
      if (bound && bound.serviceUrl !== serviceUrl) {
        throw new ChannelError(
          403,
          'bot.conversation_bound_elsewhere',
          'This conversation belongs to another serviceUrl',
        );
      }
      return '';
    },
  };
}

/**
 * Channels a local emulator speaks as: the Bot Framework Emulator, and Microsoft 365 Agents Playground
 * (or a test harness) playing Teams on this machine.
 */
const LOCAL_EMULATOR_CHANNELS = new Set(['emulator', 'msteams']);

function untrusted(why: string): ChannelError {
  return new ChannelError(
    403,
    'bot.untrusted_service_url',
    `The bot does not reply to this serviceUrl: ${why}`,
  );
}

function normalized(url: string | undefined): string {
  return (url ?? '').trim().replace(/\/+$/, '').toLowerCase();
}

/** An http(s) URL whose host is this machine (localhost, 127.0.0.0/8, ::1). */
export function isLoopbackUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || isLoopbackAddress(host);
}

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(a) === 4) return a.startsWith('127.');
  return a === '::1';
}
