/**
 * Direct Line 3.0 over HTTP, the calls botframework-directlinejs makes (see
 * docs/direct-line.md). Hand-written because the protocol is six requests and the
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
  ) {
    super(message);
    this.name = 'DirectLineError';
  }
}

export class DirectLineApi {
  /** @param domain `<server>/v3/directline` */
  constructor(
    private readonly domain: string,
    private readonly fetchFn: typeof fetch = (...args) => fetch(...args),
  ) {}

  /**
   * A token from the server's widget endpoint (`<server>/widget/token`, for pages of allowed sites);
   * `visitor` is the credential this browser kept from last time, so it stays the same customer.
   */
  widgetToken(visitor?: string): Promise<WidgetTokenInfo> {
    return this.call('POST', '/widget/token', undefined, visitor ? { visitor } : undefined, this.server());
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
    const headers: Record<string, string> = {};
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await this.fetchFn(`${base}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (err) {
      throw new DirectLineError(0, `network error: ${(err as Error).message}`);
    }
    if (!res.ok)
      throw new DirectLineError(res.status, `${method} ${path} → ${res.status}`, retryAfterMs(res.headers));
    const text = await res.text();
    return (text ? JSON.parse(text) : {}) as T;
  }
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
