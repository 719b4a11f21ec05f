/**
 * Direct Line 3.0 over HTTP, the calls botframework-directlinejs makes (see
 * docs/direct-line.md). Hand-written because the protocol is a few requests and the
 * official client would cost the widget RxJS.
 */
import type { Activity, ActivitySet } from './activity.js';

export interface TokenInfo {
  conversationId: string;
  token: string;
  expires_in?: number;
}

export interface ConversationInfo extends TokenInfo {
  streamUrl?: string;
}

/** The widget's token: the server chooses the user id, and hands back the credential to be this visitor again. */
export interface WidgetTokenInfo extends TokenInfo {
  userId: string;
  visitor: string;
  /** Who the host site's signed token says the visitor is; present only when the server accepted it. */
  verified?: { name?: string; email?: string };
}

/**
 * Carries the HTTP status, which is the protocol: 403 = token expired, 404 = conversation ended,
 * 429 = come back after `retryAfterMs` (the server's `Retry-After`).
 */
export class DirectLineError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfterMs?: number,
    /** The server's own words (`error.message` in its JSON body), fit to show a customer. */
    readonly serverMessage?: string,
    /** The server's `error.code`, which tells refusals of one status apart. */
    readonly serverCode?: string,
  ) {
    super(message);
    this.name = 'DirectLineError';
  }
}

/**
 * How long a call may go unanswered before it counts as lost (status 0). A mobile link can swallow a
 * request without a reset; without a limit the send queue, or a reconnect, would wait on it for good.
 * An upload carries up to 4 MB, which a slow link needs longer for.
 */
export const REQUEST_TIMEOUT_MS = 20_000;
export const UPLOAD_TIMEOUT_MS = 120_000;

export class DirectLineApi {
  /** @param domain `<server>/v3/directline` */
  constructor(
    readonly domain: string,
    private readonly fetchFn: typeof fetch = (...args) => fetch(...args),
  ) {}

  /**
   * A token from the server's widget endpoint (`<server>/widget/token`, for pages of allowed sites);
   * `visitor` is the credential this browser kept from last time, so it stays the same customer;
   * `authToken` is the host site's signed statement of who its signed-in customer is.
   */
  widgetToken(visitor?: string, authToken?: string): Promise<WidgetTokenInfo> {
    const body = { ...(visitor ? { visitor } : {}), ...(authToken ? { authToken } : {}) };
    return this.call(
      'POST',
      '/widget/token',
      undefined,
      Object.keys(body).length ? body : undefined,
      this.server(),
    );
  }

  /** The server's own URL: the domain without `/v3/directline`. */
  private server(): string {
    return this.domain.replace(/\/v3\/directline\/?$/, '');
  }

  refreshToken(token: string): Promise<TokenInfo> {
    return this.call('POST', '/tokens/refresh', token);
  }

  startConversation(token: string, userId: string, locale: string): Promise<ConversationInfo> {
    return this.call('POST', '/conversations', token, { user: { id: userId }, locale });
  }

  reconnect(conversationId: string, token: string, watermark?: string): Promise<ConversationInfo> {
    return this.call('GET', `/conversations/${enc(conversationId)}${query(watermark)}`, token);
  }

  getActivities(conversationId: string, token: string, watermark?: string): Promise<ActivitySet> {
    return this.call('GET', `/conversations/${enc(conversationId)}/activities${query(watermark)}`, token);
  }

  async postActivity(conversationId: string, token: string, activity: Activity): Promise<string> {
    const res = await this.call<{ id?: string }>(
      'POST',
      `/conversations/${enc(conversationId)}/activities`,
      token,
      activity,
    );
    return res.id ?? '';
  }

  /**
   * Sends a file as a message (Direct Line's upload): `activity` carries the caption and the
   * sender, the server adds the attachment. Answers the stored activity's id.
   */
  async upload(
    conversationId: string,
    token: string,
    userId: string,
    file: File,
    activity: Activity,
  ): Promise<string> {
    const form = new FormData();
    form.append(
      'activity',
      new Blob([JSON.stringify(activity)], { type: 'application/vnd.microsoft.activity' }),
    );
    form.append('file', file, file.name);
    const path = `/conversations/${enc(conversationId)}/upload?userId=${encodeURIComponent(userId)}`;
    // No Content-Type of our own: fetch writes the multipart boundary into it.
    const res = await this.request('POST', `${this.domain}${path}`, token, form, UPLOAD_TIMEOUT_MS);
    const body = await this.read<{ id?: string }>(res, 'POST', path);
    return body.id ?? '';
  }

  /** A file from this conversation (`contentUrl`), which only the conversation's token may read. */
  async attachment(contentUrl: string, token: string): Promise<Blob> {
    const res = await this.request('GET', contentUrl, token, undefined, UPLOAD_TIMEOUT_MS);
    if (!res.ok) throw await failure(res, 'GET', new URL(contentUrl).pathname);
    return res.blob();
  }

  /** The stream URL as a ws(s) URL, resolving a relative one against the domain. */
  streamUrl(raw: string): string {
    const u = new URL(raw, this.domain);
    if (u.protocol === 'http:') u.protocol = 'ws:';
    if (u.protocol === 'https:') u.protocol = 'wss:';
    return u.href;
  }

  private async call<T>(
    method: string,
    path: string,
    token?: string,
    body?: unknown,
    base: string = this.domain,
  ): Promise<T> {
    const res = await this.request(
      method,
      `${base}${path}`,
      token,
      body !== undefined ? JSON.stringify(body) : undefined,
    );
    return this.read<T>(res, method, path);
  }

  private async request(
    method: string,
    url: string,
    token?: string,
    body?: string | FormData,
    timeoutMs = REQUEST_TIMEOUT_MS,
  ): Promise<Response> {
    const headers: Record<string, string> = {};
    if (token) headers.Authorization = `Bearer ${token}`;
    if (typeof body === 'string') headers['Content-Type'] = 'application/json';
    try {
      return await this.fetchFn(url, {
        method,
        headers,
        signal: AbortSignal.timeout(timeoutMs),
        ...(body !== undefined ? { body } : {}),
      });
    } catch (err) {
      // A timeout is a lost answer like a dropped connection: the caller may send it again.
      throw new DirectLineError(0, `network error: ${(err as Error).message}`);
    }
  }

  private async read<T>(res: Response, method: string, path: string): Promise<T> {
    if (!res.ok) throw await failure(res, method, path);
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      // The body stalled past the timeout or the connection dropped mid-answer: as lost as no answer.
      throw new DirectLineError(0, `network error: ${(err as Error).message}`);
    }
    return (text ? JSON.parse(text) : {}) as T;
  }
}

/** The error for a refused call, with the server's message when its body carries one. */
async function failure(res: Response, method: string, path: string): Promise<DirectLineError> {
  let serverMessage: string | undefined;
  let serverCode: string | undefined;
  try {
    const body = (await res.json()) as { error?: { message?: unknown; code?: unknown } };
    if (typeof body.error?.message === 'string' && body.error.message.trim())
      serverMessage = body.error.message.trim();
    if (typeof body.error?.code === 'string') serverCode = body.error.code;
  } catch {
    // not JSON (a proxy's page): the status is all there is
  }
  return new DirectLineError(
    res.status,
    `${method} ${path} → ${res.status}`,
    retryAfterMs(res.headers),
    serverMessage,
    serverCode,
  );
}

/**
 * `Retry-After` in delta-seconds, the form the channel sends; anything else is not waited for (the
 * server's own reader, bot/teams/retry.ts, also takes dates, which no Switchboard server sends here).
 */
function retryAfterMs(headers: Headers): number | undefined {
  const raw = headers.get('retry-after');
  return raw && /^\d+$/.test(raw.trim()) ? Number(raw) * 1000 : undefined;
}

function enc(id: string): string {
  return encodeURIComponent(id);
}

function query(watermark?: string): string {
  return watermark ? `?watermark=${encodeURIComponent(watermark)}` : '';
}
