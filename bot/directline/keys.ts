import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DocumentStore } from '../../services/store/index.js';

/**
 * The channel's three secrets, each generated once per install and kept in the store (private
 * files on the embedded store; every instance on one MongoDB shares them):
 * - the key Direct Line tokens are signed with (never leaves the server);
 * - the Direct Line secret a site's server exchanges for tokens, as on Azure — `DIRECT_LINE_SECRET`
 *   when configured, else generated;
 * - the bot's secret: how the bot and its own channel recognise each other over HTTP in local mode,
 *   where there is no Bot Connector token (never configured, never shown).
 */
export interface ChannelKeys {
  tokenKey: Uint8Array;
  directLineSecret: string;
  /** True when the Direct Line secret was generated rather than configured. */
  secretGenerated: boolean;
  botSecret: string;
}

interface KeyDoc {
  id: string;
  secret: string;
}

export async function loadChannelKeys(store: DocumentStore, configuredSecret?: string): Promise<ChannelKeys> {
  const col = store.collection<KeyDoc>('directline_keys');
  const keep = async (id: string, make: () => string): Promise<string> => {
    await col.updateOne({ id }, { $setOnInsert: { secret: make() } }, { upsert: true });
    const doc = await col.findOne({ id });
    if (!doc) throw new Error(`Direct Line key ${id} could not be stored`);
    return doc.secret;
  };
  const tokenKey = await keep('token-secret', () => randomBytes(32).toString('base64'));
  const botSecret = await keep('bot-secret', () => randomBytes(32).toString('base64url'));
  const directLineSecret =
    configuredSecret ?? (await keep('directline-secret', () => randomBytes(32).toString('base64url')));
  return {
    tokenKey: new Uint8Array(Buffer.from(tokenKey, 'base64')),
    directLineSecret,
    secretGenerated: configuredSecret === undefined,
    botSecret,
  };
}

/** Compares a presented secret with the real one in constant time (digests, so lengths do not leak). */
export function sameSecret(presented: string | undefined, actual: string): boolean {
  if (!presented) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(actual).digest();
  return timingSafeEqual(a, b);
}

/** A browser's visitor credential: what the widget keeps in localStorage to be the same visitor again. */
export const VISITOR_CREDENTIAL = /^[A-Za-z0-9_-]{22,128}$/;

export function newVisitorCredential(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * The Direct Line user id of a visitor, derived by the server from the credential the browser holds:
 * a visitor cannot choose it, so cannot become an existing customer by naming their id.
 */
/**
 * The Direct Line user id of a customer the site signed in (signed-in.ts): the same on every device
 * and in every chat, so their chats find one customer record, and nobody can take it without a
 * token the site signed.
 */
export function signedInUserId(tokenKey: Uint8Array, customerId: string): string {
  const mac = createHmac('sha256', tokenKey).update(`signed-in:${customerId}`).digest('base64url');
  return `dl_${mac.slice(0, 24)}`;
}

export function visitorUserId(tokenKey: Uint8Array, credential: string): string {
  const mac = createHmac('sha256', tokenKey).update(`visitor:${credential}`).digest('base64url');
  return `dl_${mac.slice(0, 24)}`;
}
