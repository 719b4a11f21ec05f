import type { TurnContext, Attachment } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import {
  MAX_FILE_BYTES,
  MAX_FILES_PER_CONVERSATION,
  pictureType,
  type Attachment as MessageAttachment,
} from '../../services/domain/index.js';
import type { Files } from '../../services/store/index.js';
import type { Logger } from '../../services/log.js';

/**
 * Pictures a Teams customer pastes or drops into the chat (a screenshot of the error) are served by
 * the Bot Connector only to the bot, with its token: an agent following the link would get 401. So
 * the bot fetches each one as the chat stores the message, from the connector it is talking to (the
 * activity's serviceUrl, which the Bot Connector's token vouches for), checks it is the picture it
 * seems, and keeps it as a file of the conversation that agents open like a web customer's upload.
 */

const FETCH_TIMEOUT_MS = 15_000;

/**
 * Pictures fetched from one message: each is fetched while the customer's turn waits, so a message
 * of dozens is not allowed to hold it for minutes. Beyond this, pictures stay names.
 */
const MAX_PICTURES_PER_MESSAGE = 5;

/** The extension a kept picture is named with when Teams gives no name (pasted pictures have none). */
const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

export interface TeamsPicturesDeps {
  files: Pick<Files, 'put' | 'countOf'>;
  log: Logger;
}

/** Who a conversation's Teams pictures belong to in the file store (their own count of 20). */
export const teamsFileOwner = (conversationId: string) => `teams:${conversationId}`;

/** Whether the attachment is a picture the connector of this activity serves (Teams' pasted pictures). */
export function isConnectorPicture(att: Attachment, serviceUrl: string | undefined): boolean {
  if (!att.contentType?.startsWith('image/') || !att.contentUrl || !serviceUrl) return false;
  try {
    return new URL(att.contentUrl).origin === new URL(serviceUrl).origin;
  } catch {
    return false;
  }
}

/**
 * Keeps the connector's pictures among `attachments` as files of `conversationId`; what cannot be
 * fetched or is no picture stays a name the agent reads, without the link they could not open.
 */
export async function keepTeamsPictures(
  d: TeamsPicturesDeps,
  context: TurnContext,
  conversationId: string,
  attachments: Attachment[],
): Promise<Map<Attachment, MessageAttachment>> {
  const kept = new Map<Attachment, MessageAttachment>();
  const owner = teamsFileOwner(conversationId);
  let count: number | undefined;
  let fetched = 0;
  for (const att of attachments) {
    if (!isConnectorPicture(att, context.activity.serviceUrl)) continue;
    const fallback = { name: att.name ?? 'picture', contentType: att.contentType };
    kept.set(att, fallback);
    count ??= await d.files.countOf(owner);
    if (count >= MAX_FILES_PER_CONVERSATION || fetched >= MAX_PICTURES_PER_MESSAGE) continue;
    fetched++;
    try {
      const bytes = await fetchAsBot(context, att.contentUrl!);
      const type = bytes && pictureType(bytes);
      if (!type) continue;
      const name = att.name ?? `picture-${count + 1}.${EXTENSIONS[type]}`;
      const file = await d.files.put({ owner, name, contentType: type, bytes });
      kept.set(att, { name: file.name, contentType: type, fileId: file.id });
      count++;
    } catch (err) {
      d.log.warn('a Teams picture could not be fetched', { err, conversationId });
    }
  }
  return kept;
}

/**
 * GETs `url` with the bot's own connector credentials (none in local mode, where the emulator on this
 * machine asks for none). Undefined for a refusal, or for anything larger than a file may be.
 */
async function fetchAsBot(context: TurnContext, url: string): Promise<Uint8Array | undefined> {
  const client = context.turnState.get<ConnectorClient | undefined>(context.adapter.ConnectorClientKey);
  const headers = new Headers();
  // The connector client's credentials sign a request as they sign the bot's replies.
  await client?.credentials.signRequest({
    url,
    method: 'GET',
    headers: {
      set: (name: string, value: string) => headers.set(name, value),
      get: (name: string) => headers.get(name),
    },
  } as never);
  const res = await fetch(url, { headers, redirect: 'error', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  if (!res.ok || !res.body) return undefined;
  if (Number(res.headers.get('content-length') ?? 0) > MAX_FILE_BYTES) {
    await res.body.cancel();
    return undefined;
  }
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    size += value.byteLength;
    if (size > MAX_FILE_BYTES) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
}
