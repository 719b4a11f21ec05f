import { messageTooLongWords } from '../../services/domain/index.js';
import { ChannelError } from '../http.js';

// Direct Line clients act on the status code (docs/direct-line.md): 403 means "token expired or
// not yours" (refresh, then give up), 404 "conversation ended". Bodies follow bot/http.ts.

export const dlErrors = {
  missingToken: () =>
    new ChannelError(403, 'directline.token_missing', 'An Authorization: Bearer <token> header is required'),
  badToken: () => new ChannelError(403, 'directline.token_invalid', 'The token is invalid or has expired'),
  otherConversation: () =>
    new ChannelError(403, 'directline.token_wrong_conversation', 'The token belongs to another conversation'),
  unknownConversation: (id: string) =>
    new ChannelError(404, 'directline.conversation_not_found', `Conversation ${id} does not exist`),
  ended: (id: string) =>
    new ChannelError(404, 'directline.conversation_ended', `Conversation ${id} has ended`),
  tooLarge: (max: number) =>
    new ChannelError(413, 'directline.activity_too_large', `An activity may hold at most ${max} bytes`),
  secretRequired: () =>
    new ChannelError(
      403,
      'directline.secret_required',
      'This call needs Authorization: Bearer <Direct Line secret>, from your server, never a browser',
    ),
  originNotAllowed: () =>
    new ChannelError(
      403,
      'widget.origin_not_allowed',
      'This page is not allowed to use the chat widget (ALLOWED_ORIGINS)',
    ),
  tooManyStreams: () =>
    new ChannelError(
      429,
      'directline.too_many_streams',
      'Too many open streams for this token or conversation',
    ),
  invalidActivity: (why: string) => new ChannelError(400, 'directline.invalid_activity', why),
  badWatermark: (raw: string) =>
    new ChannelError(
      400,
      'directline.invalid_watermark',
      `The watermark ${JSON.stringify(raw.slice(0, 40))} is not one this channel gave: send back the watermark of the last activity set, or none for the whole history`,
    ),
  /** In the words the agent API uses (services/domain/message-text.ts). */
  tooLong: (count: number) =>
    new ChannelError(400, 'directline.message_too_long', messageTooLongWords(count)),
  fileRefused: (reason: 'empty' | 'too_large' | 'type', message: string) =>
    reason === 'too_large'
      ? new ChannelError(413, 'directline.file_too_large', message)
      : reason === 'type'
        ? new ChannelError(415, 'directline.file_type_not_accepted', message)
        : new ChannelError(400, 'directline.file_empty', message),
  tooManyFiles: (max: number) =>
    new ChannelError(400, 'directline.too_many_files', `A conversation may hold at most ${max} files`),
  notMultipart: () =>
    new ChannelError(
      415,
      'directline.upload_not_multipart',
      'An upload is a multipart/form-data body: the files, and optionally an "activity" part',
    ),
  unknownFile: () => new ChannelError(404, 'directline.file_not_found', 'No such file in this conversation'),
  unauthorizedBot: () =>
    new ChannelError(401, 'directline.bot_unauthorized', 'The bot token is missing or invalid'),
};
