import WebSocket from 'ws';

// A live stream socket whose refusal (the HTTP status of the upgrade) and close code a test reads:
// `openStream` (./clients.ts) is for streams that are meant to open.

export interface StreamSocket {
  /** The upgrade's answer: 101 when the stream opened, else the refusal's status. */
  status: number;
  retryAfter: string | undefined;
  /** The refusal's body (the API's `{error:{code,message}}`), parsed; undefined when the stream opened. */
  refusal: { error?: { code: string; message: string } } | undefined;
  frames: Array<Record<string, unknown>>;
  /** The close code once the server closed the stream (undefined while open). */
  closeCode(): number | undefined;
  close(): Promise<void>;
}

export function streamSocket(
  base: string,
  token: string,
  opts: { since?: number | string; headers?: Record<string, string> } = {},
): Promise<StreamSocket> {
  const q = new URLSearchParams({ access_token: token });
  if (opts.since !== undefined) q.set('since', String(opts.since));
  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/api/v1/stream?${q}`, { headers: opts.headers });
  const frames: Array<Record<string, unknown>> = [];
  let code: number | undefined;
  ws.on('message', (data) => frames.push(JSON.parse(String(data)) as Record<string, unknown>));
  ws.on('close', (c) => (code = c));
  const socket = (status: number, retryAfter?: string, refusal?: StreamSocket['refusal']): StreamSocket => ({
    status,
    retryAfter,
    refusal,
    frames,
    closeCode: () => code,
    close: () =>
      new Promise<void>((resolve) => {
        if (ws.readyState === ws.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close();
      }),
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(socket(101)));
    ws.once('unexpected-response', (_req, res) => {
      const retry = res.headers['retry-after'];
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.once('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let refusal: StreamSocket['refusal'] = {};
        try {
          refusal = text ? (JSON.parse(text) as StreamSocket['refusal']) : {};
        } catch {
          // Not JSON: kept out of `error`, so the assertion on it shows the refusal said nothing.
        }
        resolve(socket(res.statusCode ?? 0, Array.isArray(retry) ? retry[0] : retry, refusal));
        ws.terminate();
      });
    });
    ws.once('error', (err) => {
      if (ws.readyState !== ws.CLOSED && ws.readyState !== ws.CLOSING) reject(err);
    });
  });
}
