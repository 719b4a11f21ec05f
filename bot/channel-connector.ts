import { ConnectorClient, type ConnectorClientOptions } from 'botframework-connector';
import { ChannelError } from './http.js';

/**
 * The bot's connector client for this server's own Direct Line channel: the same ConnectorClient
 * (botbuilder's serialization, its operations and their errors), but the request is handed to the
 * channel in-process instead of crossing a socket to this very server. A reply over loopback HTTP
 * cost a client request, a server parse and routing, and the caller's credential check — for a
 * caller that is this process. Conversations another instance's channel serves still go over HTTP
 * (their serviceUrl is not this one).
 */

type HttpClient = NonNullable<ConnectorClientOptions['httpClient']>;
type HttpRequest = Parameters<HttpClient['sendRequest']>[0];
type HttpResponse = Awaited<ReturnType<HttpClient['sendRequest']>>;

/** What the connector needs of the channel: the route the Bot Connector API's replies reach. */
export interface OwnChannel {
  /** `<base>/v3/directline`: conversation references name it as their serviceUrl. */
  serviceUrl(): string;
  /** `POST v3/conversations/{id}/activities[/{replyTo}]`, with the route's validation and errors. */
  postFromBot(conversationId: string, body: unknown): Promise<{ id: string }>;
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
  return new ConnectorClient(UNSIGNED, { baseUri: serviceUrl, httpClient });
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
