import type { Activity } from 'botbuilder';
import type restify from 'restify';
import type { Logger } from '../../services/log.js';
import { route } from '../../services/http/errors.js';
import { parseWatermark, type DirectLineChannel } from './channel.js';
import { dlErrors } from './errors.js';
import { botActivity, clientActivity, startBody } from './schemas.js';
import { bearer } from './tokens.js';

const BASE = '/v3/directline';

type Params = Record<string, string | undefined>;
const params = (req: restify.Request): Params => (req.params ?? {}) as Params;
const query = (req: restify.Request): Params => (req.query ?? {}) as Params;
const token = (req: restify.Request) => bearer(req.header('authorization'));

/**
 * The widget's per-browser id (`dl_` + random). Anything else is ignored and the channel makes one up:
 * the id becomes the customer's channel identity, so it must not be something guessable like "1".
 */
function widgetUserId(id: string | undefined): string | undefined {
  return id && /^dl_[A-Za-z0-9_-]{8,128}$/.test(id) ? id : undefined;
}

/**
 * The Direct Line 3.0 REST surface the official client uses (reference/directline-3.md), plus the Bot
 * Connector routes the bot replies to: this channel is the `serviceUrl` of its conversations.
 */
export function mountDirectLineRoutes(
  server: restify.Server,
  channel: DirectLineChannel,
  log: Logger,
  verifyBotCaller?: (authorization: string | undefined) => Promise<void>,
): void {
  server.post(
    `${BASE}/tokens/generate`,
    route(log, async (req) => {
      const body = startBody.parse(req.body ?? undefined);
      return channel.generateToken(widgetUserId(body?.user?.id));
    }),
  );

  server.post(
    `${BASE}/tokens/refresh`,
    route(log, async (req) => channel.refresh(token(req))),
  );

  server.post(
    `${BASE}/conversations`,
    route(log, async (req, res) => {
      const body = startBody.parse(req.body ?? undefined);
      const { created, answer } = await channel.start(token(req), {
        userId: widgetUserId(body?.user?.id),
        locale: body?.locale,
      });
      res.send(created ? 201 : 200, answer);
    }),
  );

  server.get(
    `${BASE}/conversations/:conversationId`,
    route(log, async (req) => {
      const q = query(req);
      const watermark = q.watermark ? parseWatermark(q.watermark) : undefined;
      return channel.reconnect(token(req), params(req).conversationId ?? '', watermark);
    }),
  );

  server.post(
    `${BASE}/conversations/:conversationId/activities`,
    route(log, async (req) => {
      const conversationId = params(req).conversationId ?? '';
      // Authorization first: a stranger learns nothing about what a valid activity looks like.
      const claims = await channel.authorize(token(req), conversationId);
      const parsed = clientActivity.safeParse(req.body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw dlErrors.invalidActivity(
          `${issue?.path.join('.') || 'activity'}: ${issue?.message ?? 'invalid'}`,
        );
      }
      return channel.postFromClient(claims, parsed.data);
    }),
  );

  server.get(
    `${BASE}/conversations/:conversationId/activities`,
    route(log, async (req) =>
      channel.activities(token(req), params(req).conversationId ?? '', parseWatermark(query(req).watermark)),
    ),
  );

  server.post(
    `${BASE}/conversations/:conversationId/upload`,
    route(log, async (req) => {
      await channel.authorize(token(req), params(req).conversationId ?? '');
      throw dlErrors.uploadUnsupported();
    }),
  );

  // Bot Connector API (the subset a bot uses to reply): POST v3/conversations/{id}/activities[/{replyTo}].
  const fromBot = route(log, async (req) => {
    if (verifyBotCaller) await verifyBotCaller(req.header('authorization'));
    const parsed = botActivity.safeParse(req.body);
    if (!parsed.success) throw dlErrors.invalidActivity('The body is not an activity');
    return channel.postFromBot(params(req).conversationId ?? '', parsed.data as Partial<Activity>);
  });
  server.post(`${BASE}/v3/conversations/:conversationId/activities`, fromBot);
  server.post(`${BASE}/v3/conversations/:conversationId/activities/:activityId`, fromBot);
}
