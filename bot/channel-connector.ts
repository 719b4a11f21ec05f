import { ConnectorClient, type ConnectorClientOptions } from 'botframework-connector';
import { serializeActivity } from './activity-serializer.js';
import { ChannelError } from './http.js';

/**
 * The bot's connector client for this server's own Direct Line channel: the same ConnectorClient
 * (botbuilder's serialization, its operations and their errors), but the request is handed to the
 * channel in-process instead of crossing a socket to this very server. A reply over loopback HTTP
 * cost a client request, a server parse and routing, and the caller's credential check — for a
 * caller that is this process. Conversations another instance's channel serves still go over HTTP
 * (their serviceUrl is not this one).
 *
 * The two operations a turn's messages use (`replyToActivity`, `sendToConversation`) skip the
 * request pipeline as well: they serialize the activity as the operation does (activity-serializer.ts)
 * — the body the channel gets is the one the pipeline would have sent — and hand it over.
 * The pipeline around that serialization (URL building, tracing, logging, header and response
 * objects, deserializing the answer) cost about 100 µs of CPU per message, 5–8 % of a round trip
 * (ADR 0019). A refusal goes through the pipeline once more, so the bot gets the RestError an HTTP
 * reply would have produced; refusals (an ended conversation, an invalid activity) store nothing, so
 * asking again changes nothing.
 */

type HttpClient = NonNullable<ConnectorClientOptions['httpClient']>;
type HttpRequest = Parameters<HttpClient['sendRequest']>[0];
type HttpResponse = Awaited<ReturnType<HttpClient['sendRequest']>>;
type Conversations = ConnectorClient['conversations'];

/** What the connector needs of the channel: the route the Bot Connector API's replies reach. */
export interface OwnChannel {
  /** `<base>/v3/directline`: conversation references name it as their serviceUrl. */
  serviceUrl(): string;
  /** `POST v3/conversations/{id}/activities[/{replyTo}]`, with the route's validation and errors. */
  postFromBot(conversationId: string, body: unknown): Promise<{ id: string }>;
  /** Whether `url` is another instance's channel on this store, and whether it lives. */
  siblingChannel?(url: string): Promise<'live' | 'silent' | undefined>;
}

const ACTIVITY_ROUTE = /^\/v3\/conversations\/([^/]+)\/activities(?:\/[^/]+)?$/;

/** The bot is this process: nothing to sign. */
const UNSIGNED = { signRequest: async (request: HttpRequest) => request };

export function channelConnector(channel: OwnChannel, serviceUrl: string): ConnectorClient {
  const base = new URL(serviceUrl).pathname.replace(/\/+$/, '');
  const httpClient: HttpClient = {
    async sendRequest(request) {
      const path = new URL(request.url).pathname;
      const route = path.startsWith(`${base}/`) ? ACTIVITY_ROUTE.exec(path.slice(base.length)) : null;
      if (request.method !== 'POST' || !route) {
        return answer(request, 404, {
          error: {
            code: 'not_found',
            message: `${request.method} ${path} is not a Bot Connector route here`,
          },
        });
      }
      try {
        const body: unknown = typeof request.body === 'string' ? JSON.parse(request.body) : request.body;
        return answer(request, 200, await channel.postFromBot(decodeURIComponent(route[1]!), body));
      } catch (err) {
        // The route's own refusals (conversation ended, invalid activity …) reach the bot as the
        // same status codes they would over HTTP.
        if (err instanceof ChannelError) {
          return answer(request, err.status, { error: { code: err.code, message: err.message } });
        }
        throw err;
      }
    },
  };
  const client = new ConnectorClient(UNSIGNED, { baseUri: serviceUrl, httpClient });
  handOverMessages(client.conversations, channel);
  return client;
}

/**
 * Replaces the two message operations with ones that serialize and hand over directly. Calls with
 * options or a callback (botbuilder passes neither) keep the pipeline, as does anything the
 * serializer refuses, so its error is the pipeline's.
 */
function handOverMessages(conversations: Conversations, channel: OwnChannel): void {
  const reply = conversations.replyToActivity.bind(conversations) as Conversations['replyToActivity'];
  const send = conversations.sendToConversation.bind(conversations) as Conversations['sendToConversation'];

  async function handOver<T>(
    conversationId: string,
    activity: unknown,
    viaPipeline: () => Promise<T>,
  ): Promise<T> {
    let body: unknown;
    try {
      body = serializeActivity(activity);
    } catch {
      return viaPipeline();
    }
    try {
      return (await channel.postFromBot(conversationId, body)) as T;
    } catch (err) {
      if (err instanceof ChannelError) return viaPipeline();
      throw err;
    }
  }

  conversations.replyToActivity = ((
    conversationId: string,
    activityId: string,
    activity: unknown,
    ...rest: unknown[]
  ) =>
    rest.length > 0
      ? (reply as (...args: unknown[]) => unknown)(conversationId, activityId, activity, ...rest)
      : handOver(conversationId, activity, () =>
          reply(conversationId, activityId, activity as Parameters<typeof reply>[2]),
        )) as Conversations['replyToActivity'];
  conversations.sendToConversation = ((conversationId: string, activity: unknown, ...rest: unknown[]) =>
    rest.length > 0
      ? (send as (...args: unknown[]) => unknown)(conversationId, activity, ...rest)
      : handOver(conversationId, activity, () =>
          send(conversationId, activity as Parameters<typeof send>[1]),
        )) as Conversations['sendToConversation'];
}

function answer(request: HttpRequest, status: number, body: unknown): HttpResponse {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  return {
    request,
    status,
    bodyAsText: JSON.stringify(body),
    // The compat layer reads the headers back with `toJson` (and `get` for content negotiation).
    headers: {
      toJson: () => ({ ...headers }),
      get: (name: string) => headers[name.toLowerCase()],
      contains: (name: string) => name.toLowerCase() in headers,
    } as unknown as HttpResponse['headers'],
  };
}
