import type restify from 'restify';
import type { Logger } from '../../services/log.js';
import type { EdgeGuards } from '../guards.js';
import { ChannelError, route } from '../http.js';
import { readMultipart, sendDownload } from '../../services/file-transfer.js';
import { MAX_JSON_DEPTH, nestingDepth } from '../../services/json-nesting.js';
import { findLoneSurrogate, loneSurrogateWords } from '../../services/domain/index.js';
import { readWatermark, type DirectLineChannel, type UploadedFile } from './channel.js';
import { dlErrors } from './errors.js';
import type { DirectLineLimits } from './limits.js';
import { clientActivity, startBody, widgetTokenBody, type ClientActivity } from './schemas.js';
import { bearer } from './tokens.js';

const BASE = '/v3/directline';

/** The part of an upload that carries its activity (Direct Line 3.0), beside the files. */
const ACTIVITY_PART = 'activity';

/**
 * An upload's parts (the body reader kept the multipart bytes: services/http/body.ts): the files,
 * and the activity they go with, if one came.
 */
async function readUpload(
  req: restify.Request,
): Promise<{ activity?: ClientActivity; files: UploadedFile[] }> {
  const raw = (req as { rawBody?: Buffer }).rawBody;
  if (!raw) throw dlErrors.notMultipart();
  const form = await readMultipart(raw, req.header('content-type') ?? '');
  if (!form) throw dlErrors.invalidActivity('The upload is not a readable multipart/form-data body');
  const texts: string[] = [];
  const files: UploadedFile[] = [];
  for (const { field, name, type, bytes } of form.files) {
    if (field === ACTIVITY_PART) texts.push(new TextDecoder().decode(bytes));
    else files.push({ name, type, bytes });
  }
  // Web Chat sends the activity as a part of its own type; a hand-made form may send it as a field.
  const field = form.fields[ACTIVITY_PART];
  if (field !== undefined) texts.push(field);
  if (texts.length > 1 || form.repeated.includes(ACTIVITY_PART))
    throw dlErrors.invalidActivity('An upload carries at most one "activity" part');
  return { ...(texts[0] === undefined ? {} : { activity: readActivityPart(texts[0]) }), files };
}

/** The activity part of an upload, held to what any activity posted as JSON is held to. */
function readActivityPart(text: string): ClientActivity {
  if (nestingDepth(text) > MAX_JSON_DEPTH) {
    throw dlErrors.invalidActivity(`The "activity" part may nest at most ${MAX_JSON_DEPTH} levels`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw dlErrors.invalidActivity('The "activity" part is not JSON');
  }
  return checkedActivity(json, 'activity');
}

/** A client's activity, or a 400 naming the first field that is wrong (under `where`). */
function checkedActivity(json: unknown, where: string): ClientActivity {
  const parsed = clientActivity.safeParse(json);
  const issue = parsed.success ? undefined : parsed.error.issues[0];
  // Refused as the agent API refuses it (services/domain/well-formed.ts): what is stored and
  // relayed must be the text that was sent.
  const lone = parsed.success ? findLoneSurrogate(parsed.data) : undefined;
  if (parsed.success && !lone) return parsed.data;
  const path = lone ? lone.path : (issue?.path ?? []).map(String);
  const field = [where, ...path].filter(Boolean).join('.') || 'activity';
  throw dlErrors.invalidActivity(
    `${field}: ${lone ? loneSurrogateWords(lone) : (issue?.message ?? 'invalid')}`,
  );
}

type Params = Record<string, string | undefined>;
const params = (req: restify.Request): Params => (req.params ?? {}) as Params;
const query = (req: restify.Request): Params => (req.query ?? {}) as Params;
const token = (req: restify.Request) => bearer(req.header('authorization'));

/**
 * A user id a site's server chose for its visitor (`dl_` + something unguessable, as Azure asks).
 * Anything else is ignored and the channel makes one up.
 */
function siteUserId(id: string | undefined): string | undefined {
  return id && /^dl_[A-Za-z0-9_-]{8,128}$/.test(id) ? id : undefined;
}

export interface RouteGuards {
  /** Whether a presented secret is the Direct Line secret. */
  isSecret(presented: string | undefined): boolean;
  /** Whether the caller is the bot (Bot Connector routes); throws 401 otherwise. */
  verifyBotCaller(authorization: string | undefined): Promise<void>;
  edge: EdgeGuards;
  limits: DirectLineLimits;
}

/**
 * The Direct Line 3.0 REST surface the official client uses (docs/direct-line.md), the widget's
 * token endpoint, and the Bot Connector routes the bot replies to: this channel is the `serviceUrl`
 * of its conversations.
 */
export function mountDirectLineRoutes(
  server: restify.Server,
  channel: DirectLineChannel,
  log: Logger,
  guards: RouteGuards,
): void {
  const perIp = guards.edge.limit('requests from this address', guards.limits.requestsPerIp);
  const secretTokensPerIp = guards.edge.limit(
    'token requests from this address',
    guards.limits.secretTokensPerIp,
  );
  const widgetTokensPerIp = guards.edge.limit(
    'chats started from this address',
    guards.limits.widgetTokensPerIp,
  );
  const activitiesPerConversation = guards.edge.limit(
    'activities in this conversation',
    guards.limits.activitiesPerConversation,
  );
  const tokenCallsPerConversation = guards.edge.limit(
    'token refreshes and reconnects in this conversation',
    guards.limits.tokenCallsPerConversation,
  );

  /** Every customer-facing route: one point per request from the caller's address first. */
  const customer = (handler: (req: restify.Request, res: restify.Response) => Promise<unknown>) =>
    route(log, async (req, res) => {
      await perIp.take(guards.edge.clientIp(req));
      return handler(req, res);
    });

  server.post(
    '/widget/token',
    customer(async (req) => {
      // Only pages of allowed sites get a widget token (a browser always says where it comes from).
      if (!guards.edge.origins.allows(req.headers)) throw dlErrors.originNotAllowed();
      await widgetTokensPerIp.take(guards.edge.clientIp(req));
      const body = widgetTokenBody.parse(req.body ?? undefined);
      const lone = findLoneSurrogate(body);
      if (lone)
        throw new ChannelError(
          400,
          'invalid_request',
          `${['body', ...lone.path].join('.')}: ${loneSurrogateWords(lone)}`,
        );
      return channel.widgetToken(body?.visitor, body?.authToken);
    }),
  );

  server.post(
    `${BASE}/tokens/generate`,
    customer(async (req) => {
      if (!guards.isSecret(token(req))) throw dlErrors.secretRequired();
      await secretTokensPerIp.take(guards.edge.clientIp(req));
      const body = startBody.parse(req.body ?? undefined);
      return channel.generateToken(siteUserId(body?.user?.id));
    }),
  );

  server.post(
    `${BASE}/tokens/refresh`,
    customer(async (req) => {
      const answer = await channel.refresh(token(req));
      await tokenCallsPerConversation.take(answer.conversationId);
      return answer;
    }),
  );

  server.post(
    `${BASE}/conversations`,
    customer(async (req, res) => {
      const body = startBody.parse(req.body ?? undefined);
      let presented = token(req);
      // Azure lets a server start a conversation with the secret itself; the user is then its choice.
      if (guards.isSecret(presented)) {
        await secretTokensPerIp.take(guards.edge.clientIp(req));
        presented = (await channel.generateToken(siteUserId(body?.user?.id))).token;
      }
      const { created, answer } = await channel.start(presented, { locale: body?.locale });
      res.send(created ? 201 : 200, answer);
    }),
  );

  server.get(
    `${BASE}/conversations/:conversationId`,
    customer(async (req) => {
      const q = query(req);
      const watermark = readWatermark(q.watermark);
      const conversationId = params(req).conversationId ?? '';
      const answer = await channel.reconnect(token(req), conversationId, watermark);
      await tokenCallsPerConversation.take(conversationId);
      return answer;
    }),
  );

  server.post(
    `${BASE}/conversations/:conversationId/activities`,
    customer(async (req) => {
      const conversationId = params(req).conversationId ?? '';
      // Authorization first: a stranger learns nothing about what a valid activity looks like.
      const claims = await channel.authorize(token(req), conversationId);
      await activitiesPerConversation.take(conversationId);
      return channel.postFromClient(claims, checkedActivity(req.body, ''));
    }),
  );

  server.get(
    `${BASE}/conversations/:conversationId/activities`,
    customer(async (req) =>
      channel.activities(
        token(req),
        params(req).conversationId ?? '',
        readWatermark(query(req).watermark) ?? 0,
      ),
    ),
  );

  server.post(
    `${BASE}/conversations/:conversationId/upload`,
    customer(async (req) => {
      const conversationId = params(req).conversationId ?? '';
      const claims = await channel.authorize(token(req), conversationId);
      await activitiesPerConversation.take(conversationId);
      return channel.upload(claims, await readUpload(req));
    }),
  );

  server.get(
    `${BASE}/conversations/:conversationId/attachments/:fileId`,
    customer(async (req, res) => {
      const { conversationId = '', fileId = '' } = params(req);
      const { info, bytes } = await channel.attachment(token(req), conversationId, fileId);
      sendDownload(res, { name: info.name, contentType: info.contentType, bytes });
    }),
  );

  // Bot Connector API (the subset a bot uses to reply): POST v3/conversations/{id}/activities[/{replyTo}].
  // The caller is checked before anything else: nobody else learns which conversations exist.
  const fromBot = route(log, async (req) => {
    await guards.verifyBotCaller(req.header('authorization'));
    return channel.postFromBot(params(req).conversationId ?? '', req.body);
  });
  server.post(`${BASE}/v3/conversations/:conversationId/activities`, fromBot);
  server.post(`${BASE}/v3/conversations/:conversationId/activities/:activityId`, fromBot);
}
