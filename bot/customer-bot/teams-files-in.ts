import type { TurnContext, Attachment } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import {
  checkFile,
  MAX_FILE_BYTES,
  MAX_FILES_PER_CONVERSATION,
  pictureType,
  type Attachment as MessageAttachment,
} from '../../services/domain/index.js';
import type { Files } from '../../services/store/index.js';
import type { Logger } from '../../services/log.js';

/**
 * Files a Teams customer sends into the chat, kept as files of the conversation that agents open
 * like a web customer's upload. Two kinds come:
 * - pictures pasted or dropped in (a screenshot of the error), which the Bot Connector serves only
 *   to the bot, with its token: an agent following the link would get 401. They are fetched from the
 *   connector the bot is talking to (the activity's serviceUrl, which the Bot Connector's token
 *   vouches for) and kept when they are the picture they seem.
 * - files attached with the paperclip (a PDF bill), which Teams puts in the customer's OneDrive and
 *   announces as `file.download.info` with a short-lived download address. They are fetched from it
 *   and kept when they pass the same check as a web customer's upload (type, size).
 * What cannot be fetched or is refused stays a name the agent reads, without a link they could not
 * open.
 */

const FETCH_TIMEOUT_MS = 15_000;

/**
 * Files fetched from one message: each is fetched while the customer's turn waits, so a message of
 * dozens is not allowed to hold it for minutes. Beyond this, files stay names.
 */
const MAX_FETCHED_PER_MESSAGE = 5;

/** What Teams announces a file attached with the paperclip as. */
export const FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';

/** The extension a kept picture is named with when Teams gives no name (pasted pictures have none). */
const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

/** The type a shared file claims by its Teams `fileType` (its extension); checked against its bytes. */
const TYPES_BY_EXTENSION: Record<string, string> = {
  pdf: 'application/pdf',
  txt: 'text/plain',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
};

export interface TeamsFilesDeps {
  files: Pick<Files, 'put' | 'countOf'>;
  log: Logger;
}

/** Who a conversation's Teams files belong to in the file store (their own count of 20). */
export const teamsFileOwner = (conversationId: string) => `teams:${conversationId}`;

/** A file of one of the two kinds, with where to fetch it and whether the bot's token goes along. */
interface Fetchable {
  /** Undefined when the address given is not one the bot fetches from: the file stays a name. */
  url: string | undefined;
  asBot: boolean;
  fallback: MessageAttachment;
  /**
   * Whether the customer hears why it was not kept. A file they attached, yes: nothing else tells
   * them the agent cannot open it. A picture Teams carries in the message itself, no: it shows in
   * the transcript by name, and a picture Teams could not serve is Teams' doing, not theirs.
   */
  tellsWhy: boolean;
  /** The bytes' type and name (the `index`th file kept), or why they may not be kept. */
  check(
    bytes: Uint8Array,
    index: number,
  ): { ok: true; contentType: string; name: string } | { ok: false; message: string };
}

/** What became of the Teams files among a message's attachments. */
export interface TeamsFiles {
  /** Each Teams file as the transcript names it: with its `fileId` once kept. */
  files: Map<Attachment, MessageAttachment>;
  /** Why a file the customer attached was not kept, in their words' place: "bill.zip is larger than 4 MB". */
  refused: Map<Attachment, string>;
}

function fetchable(att: Attachment, serviceUrl: string | undefined): Fetchable | undefined {
  if (att.contentType === FILE_DOWNLOAD_INFO) {
    const content = att.content as { downloadUrl?: unknown; fileType?: unknown } | undefined;
    const url = typeof content?.downloadUrl === 'string' ? content.downloadUrl : undefined;
    const extension = typeof content?.fileType === 'string' ? content.fileType.toLowerCase() : '';
    const declared = TYPES_BY_EXTENSION[extension] ?? 'application/octet-stream';
    const name = att.name ?? `file.${extension || 'bin'}`;
    return {
      url: url && reachable(url, serviceUrl, true) ? url : undefined,
      asBot: false,
      fallback: { name, contentType: declared },
      tellsWhy: true,
      check: (bytes) => checkFile(name, declared, bytes),
    };
  }
  if (
    att.contentType?.startsWith('image/') &&
    att.contentUrl &&
    reachable(att.contentUrl, serviceUrl, false)
  ) {
    return {
      url: att.contentUrl,
      asBot: true,
      fallback: { name: att.name ?? 'picture', contentType: att.contentType },
      tellsWhy: false,
      check: (bytes, index) => {
        const type = pictureType(bytes);
        return type
          ? { ok: true, contentType: type, name: att.name ?? `picture-${index}.${EXTENSIONS[type]}` }
          : { ok: false, message: 'not a picture' };
      },
    };
  }
  return undefined;
}

/**
 * Whether the bot fetches from `url`: the connector's own address always; OneDrive's download
 * addresses (https) for a shared file. Nothing else, so an activity cannot point the bot at an
 * address inside the network it runs in.
 */
function reachable(url: string, serviceUrl: string | undefined, httpsElsewhere: boolean): boolean {
  try {
    const u = new URL(url);
    if (serviceUrl && u.origin === new URL(serviceUrl).origin) return true;
    return httpsElsewhere && u.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Keeps the Teams files among `attachments` as files of `conversationId`; what cannot be fetched or
 * is refused stays a name the agent reads. Attachments of other kinds are in neither map.
 */
export async function keepTeamsFiles(
  d: TeamsFilesDeps,
  context: TurnContext,
  conversationId: string,
  attachments: Attachment[],
): Promise<TeamsFiles> {
  const files = new Map<Attachment, MessageAttachment>();
  const refused = new Map<Attachment, string>();
  const owner = teamsFileOwner(conversationId);
  let count: number | undefined;
  let fetched = 0;
  for (const att of attachments) {
    const file = fetchable(att, context.activity.serviceUrl);
    if (!file) continue;
    files.set(att, file.fallback);
    const { name } = file.fallback;
    let why: string | undefined;
    count ??= await d.files.countOf(owner);
    if (!file.url) why = `${name} couldn't be fetched`;
    else if (count >= MAX_FILES_PER_CONVERSATION) {
      why = `${name}: this chat already holds ${MAX_FILES_PER_CONVERSATION} files`;
    } else if (fetched >= MAX_FETCHED_PER_MESSAGE) {
      why = `${name}: at most ${MAX_FETCHED_PER_MESSAGE} files a message are passed on`;
    } else {
      fetched++;
      const kept = await fetchAndKeep(d, context, { owner, conversationId }, file, file.url, count + 1);
      if (typeof kept === 'string') why = kept;
      else {
        files.set(att, kept);
        count++;
      }
    }
    if (why && file.tellsWhy) refused.set(att, why);
  }
  return { files, refused };
}

/** Fetches one file and keeps it when it passes its check: the transcript's attachment, or why not. */
async function fetchAndKeep(
  d: TeamsFilesDeps,
  context: TurnContext,
  where: { owner: string; conversationId: string },
  file: Fetchable,
  url: string,
  index: number,
): Promise<MessageAttachment | string> {
  const { name } = file.fallback;
  try {
    const bytes = await fetchLimited(file.asBot ? context : undefined, url);
    if (bytes === 'too_large') return `${name} is larger than ${MAX_FILE_BYTES / (1024 * 1024)} MB`;
    if (!bytes) return `${name} couldn't be fetched`;
    const checked = file.check(bytes, index);
    if (!checked.ok) return checked.message;
    const stored = await d.files.put({
      owner: where.owner,
      name: checked.name,
      contentType: checked.contentType,
      bytes,
    });
    return { name: stored.name, contentType: stored.contentType, fileId: stored.id };
  } catch (err) {
    d.log.warn('a Teams file could not be fetched', { err, conversationId: where.conversationId });
    return `${name} couldn't be fetched`;
  }
}

/**
 * GETs `url`, with the bot's own connector credentials when `asBot` gives its turn (none in local
 * mode, where the emulator on this machine asks for none). Undefined for a refusal; `too_large` for
 * anything larger than a file may be, read no further.
 */
async function fetchLimited(
  asBot: TurnContext | undefined,
  url: string,
): Promise<Uint8Array | 'too_large' | undefined> {
  const headers = new Headers();
  if (asBot) {
    const client = asBot.turnState.get<ConnectorClient | undefined>(asBot.adapter.ConnectorClientKey);
    // The connector client's credentials sign a request as they sign the bot's replies.
    await client?.credentials.signRequest({
      url,
      method: 'GET',
      headers: {
        set: (name: string, value: string) => headers.set(name, value),
        get: (name: string) => headers.get(name),
      },
    } as never);
  }
  const res = await fetch(url, { headers, redirect: 'error', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  if (!res.ok || !res.body) return undefined;
  if (Number(res.headers.get('content-length') ?? 0) > MAX_FILE_BYTES) {
    await res.body.cancel();
    return 'too_large';
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
      return 'too_large';
    }
    chunks.push(value);
  }
}
