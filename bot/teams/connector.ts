// The two Bot Connector REST calls the Teams bot makes proactively (v3 conversations API): post an
// activity into a conversation, and replace one it posted (card refresh). A failure carries the
// status and Retry-After so the sender can decide to retry.

export interface ConnectorTarget {
  serviceUrl: string;
  conversationId: string;
}

/** An outbound activity, as the Bot Connector takes it (JSON). */
export type OutboundActivity = Record<string, unknown> & { type: string };

export class ConnectorError extends Error {
  override readonly name = 'ConnectorError';
  constructor(
    message: string,
    /** HTTP status; 0 when no answer came (network error, timeout). */
    readonly status: number,
    /** The Retry-After header as sent (seconds or an HTTP date). */
    readonly retryAfter: string | null = null,
  ) {
    super(message);
  }
}

export interface Connector {
  send(target: ConnectorTarget, activity: OutboundActivity): Promise<{ id: string }>;
  update(target: ConnectorTarget, activityId: string, activity: OutboundActivity): Promise<void>;
}

export interface HttpConnectorOptions {
  /** The bearer token for calls to this service URL; undefined in local mode (no credentials). */
  token(serviceUrl: string): Promise<string | undefined>;
  /** Refuses service URLs the bot must not send to (throws). */
  checkServiceUrl?(serviceUrl: string): void;
  timeoutMs?: number;
}

function activitiesUrl(target: ConnectorTarget, activityId?: string): string {
  const base = target.serviceUrl.replace(/\/+$/, '');
  const path = `/v3/conversations/${encodeURIComponent(target.conversationId)}/activities`;
  return `${base}${path}${activityId ? `/${encodeURIComponent(activityId)}` : ''}`;
}

export function httpConnector(opts: HttpConnectorOptions): Connector {
  const timeoutMs = opts.timeoutMs ?? 15_000;

  async function call(method: 'POST' | 'PUT', url: string, serviceUrl: string, activity: OutboundActivity) {
    opts.checkServiceUrl?.(serviceUrl);
    const token = await opts.token(serviceUrl);
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: {
          'Content-Type': 'application/json',
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(activity),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new ConnectorError(`${method} ${url} failed: ${(err as Error).message}`, 0);
    }
    const body = await res.text();
    if (!res.ok) {
      throw new ConnectorError(
        `${method} ${url} answered ${res.status}: ${body.slice(0, 200)}`,
        res.status,
        res.headers.get('retry-after'),
      );
    }
    return { status: res.status, body };
  }

  return {
    async send(target, activity) {
      const { status, body } = await call('POST', activitiesUrl(target), target.serviceUrl, activity);
      let parsed: { id?: unknown } = {};
      try {
        parsed = (body ? JSON.parse(body) : {}) as { id?: unknown };
      } catch {
        // Not JSON: no id, below.
      }
      // A success without an id means the activity was taken (Agents Playground answers 202 with no
      // body when it splits a message into several). Retrying would post it again, so this failure
      // carries the success status, which the sender does not retry.
      if (typeof parsed.id !== 'string')
        throw new ConnectorError(
          `The connector took the activity (${status}) but answered without its id`,
          status,
        );
      return { id: parsed.id };
    },
    async update(target, activityId, activity) {
      await call('PUT', activitiesUrl(target, activityId), target.serviceUrl, {
        ...activity,
        id: activityId,
      });
    },
  };
}
