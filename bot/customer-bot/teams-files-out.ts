import type { Attachment, TurnContext } from 'botbuilder';
import { z } from 'zod';
import { conversationOfAgentFile } from '../../services/domain/index.js';
import type { Logger } from '../../services/log.js';
import type { Files } from '../../services/store/index.js';

/**
 * Files an agent sends a Teams customer (a PDF guide, a large photo). Teams shows no file a bot
 * links to; in a personal chat it lets a bot hand one over into the user's own OneDrive, with their
 * consent: the bot sends a file consent card, the user's Allow or Decline comes back as a
 * `fileConsent/invoke`, and on Allow the bot uploads the bytes to the address that answer carries
 * and posts a file card the user opens like any file in Teams. Group chats and channels have no such
 * flow; there the customer is told the file's name.
 */

export const FILE_CONSENT_CARD = 'application/vnd.microsoft.teams.card.file.consent';
export const FILE_INFO_CARD = 'application/vnd.microsoft.teams.card.file.info';
export const FILE_CONSENT_INVOKE = 'fileConsent/invoke';

const UPLOAD_TIMEOUT_MS = 30_000;

/**
 * The reader a file is shared with when it is offered in a Teams chat: only an answer from that chat
 * may have it uploaded (the consent card's context names the file, and anyone can write any id).
 */
export const teamsChatReader = (channelConversationId: string) => `msteams-chat:${channelConversationId}`;

/** Whether Teams lets this chat take files from the bot: personal chats only. */
export const takesFileConsent = (conversationType: string | undefined) => conversationType === 'personal';

/** The card asking the customer to take `file` into their OneDrive. */
export function fileConsentCard(
  file: { fileId: string; name: string; size: number },
  sender: string,
): Attachment {
  const context = { fileId: file.fileId };
  return {
    contentType: FILE_CONSENT_CARD,
    name: file.name,
    content: {
      description: `${sender} sent you ${file.name}. Allow it to save it to your OneDrive and open it here.`,
      sizeInBytes: file.size,
      acceptContext: context,
      declineContext: context,
    },
  };
}

/** The customer's answer to a consent card, as Teams sends it (`value` of the invoke). */
const consentAnswer = z.object({
  type: z.literal('fileUpload'),
  action: z.enum(['accept', 'decline']),
  context: z.object({ fileId: z.string().min(1).max(200) }),
  uploadInfo: z
    .object({
      name: z.string().min(1).max(400),
      uploadUrl: z.string().url(),
      contentUrl: z.string().url(),
      uniqueId: z.string().max(400).optional(),
      fileType: z.string().max(40).optional(),
    })
    .optional(),
});

export interface ConsentOutcome {
  outcome: 'saved' | 'declined' | 'failed';
  name: string;
  /** The conversation the agent sent the file in (the Teams chat may have gone on to another). */
  conversationId: string | undefined;
}

export interface FileConsentDeps {
  files: Pick<Files, 'read'>;
  log: Logger;
}

/**
 * Answers a `fileConsent/invoke`: on Allow, uploads the file and posts its file card; either way
 * the consent card goes, so it cannot be answered twice. Undefined when the answer names no file
 * offered in this chat (it gets a 400 and nothing happens).
 */
export async function answerFileConsent(
  d: FileConsentDeps,
  context: TurnContext,
): Promise<ConsentOutcome | undefined> {
  const activity = context.activity;
  const answer = consentAnswer.safeParse(activity.value);
  const kept = answer.success ? await d.files.read(answer.data.context.fileId) : null;
  const reader = teamsChatReader(activity.conversation.id);
  if (!answer.success || !kept || !(kept.info.sharedWith ?? []).includes(reader)) {
    await respond(context, 400);
    return undefined;
  }
  const { action, uploadInfo } = answer.data;
  const name = kept.info.name;
  const conversationId = conversationOfAgentFile(kept.info.owner);
  let result: ConsentOutcome = { outcome: 'declined', name, conversationId };
  if (action === 'accept') {
    const failure = !uploadInfo
      ? 'no upload address'
      : uploadable(uploadInfo.uploadUrl, activity.serviceUrl)
        ? await upload(uploadInfo.uploadUrl, kept.bytes)
        : 'an upload address neither https nor the connector';
    result = { outcome: failure ? 'failed' : 'saved', name, conversationId };
    if (failure) d.log.warn('a file a Teams customer allowed could not be uploaded', { failure, name });
    if (!failure && uploadInfo) {
      await context.sendActivity({
        type: 'message',
        attachments: [
          {
            contentType: FILE_INFO_CARD,
            name: uploadInfo.name,
            contentUrl: uploadInfo.contentUrl,
            content: { uniqueId: uploadInfo.uniqueId, fileType: uploadInfo.fileType },
          },
        ],
      });
    } else {
      await context.sendActivity(
        `${name} couldn't be saved to your OneDrive. Please ask the agent to send it again.`,
      );
    }
  }
  if (activity.replyToId) {
    // The card stays answerable otherwise; a card already gone is no failure.
    await context.deleteActivity(activity.replyToId).catch(() => undefined);
  }
  await respond(context, 200);
  return result;
}

async function respond(context: TurnContext, status: number): Promise<void> {
  await context.sendActivity({ type: 'invokeResponse', value: { status } });
}

/**
 * Where the bot will PUT a customer's file: OneDrive's upload sessions are https; a connector on
 * this machine (the emulator, the tests' stand-in) may answer over http at its own address.
 */
function uploadable(uploadUrl: string, serviceUrl: string | undefined): boolean {
  try {
    const url = new URL(uploadUrl);
    if (url.protocol === 'https:') return true;
    return !!serviceUrl && url.origin === new URL(serviceUrl).origin;
  } catch {
    return false;
  }
}

/**
 * One PUT of the whole file to the upload session, as OneDrive takes a file of up to 60 MB. Answers
 * what went wrong, or undefined when it was stored.
 */
async function upload(uploadUrl: string, bytes: Buffer): Promise<string | undefined> {
  try {
    const res = await fetch(uploadUrl, {
      method: 'PUT',
      headers: {
        'Content-Length': String(bytes.length),
        'Content-Range': `bytes 0-${bytes.length - 1}/${bytes.length}`,
      },
      body: new Uint8Array(bytes),
      redirect: 'error',
      signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
    });
    await res.body?.cancel();
    return res.ok ? undefined : `the upload was answered ${res.status}`;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
