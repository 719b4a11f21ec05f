import { createRequire } from 'node:module';
import { WebSocket } from 'ws';

// botframework-directlinejs is written for browsers: it needs a global WebSocket (Node 20 has none)
// and RxJS 5's XMLHttpRequest-based ajax. This gives it `ws` and a fetch-based ajax with the same
// contract (`response` on success; `status` and `xhr.getResponseHeader` on failure), built on the
// client's own RxJS so its operators (retryWhen, delay …) are patched in.

const require = createRequire(import.meta.url);
const { Observable } = require('botframework-directlinejs/node_modules/rxjs/Observable') as {
  Observable: { create(subscribe: (subscriber: Subscriber) => void): unknown };
};

interface Subscriber {
  next(value: unknown): void;
  error(err: unknown): void;
  complete(): void;
}

interface AjaxRequest {
  method?: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export function installWebSocket(): void {
  (globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
}

export function nodeAjax(request: AjaxRequest | string): unknown {
  const req: AjaxRequest = typeof request === 'string' ? { url: request } : request;
  return Observable.create((subscriber) => {
    const hasBody = req.body !== undefined && req.method !== 'GET';
    fetch(req.url, {
      method: req.method ?? 'GET',
      headers: req.headers,
      body: hasBody ? JSON.stringify(req.body) : undefined,
    }).then(
      async (res) => {
        const text = await res.text();
        const response: unknown = text ? JSON.parse(text) : null;
        if (res.ok) {
          subscriber.next({ response, status: res.status });
          subscriber.complete();
        } else {
          subscriber.error({
            status: res.status,
            response,
            xhr: { getResponseHeader: (h: string) => res.headers.get(h) },
          });
        }
      },
      (err: unknown) => subscriber.error({ status: 0, message: String(err) }),
    );
  });
}
