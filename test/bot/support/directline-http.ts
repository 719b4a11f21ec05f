import { TEST_DIRECT_LINE_SECRET } from '../../support/server.js';

/**
 * One Direct Line REST call against a running server, as the widget makes it. `tokens/generate`
 * goes with the Direct Line secret, as a site's server calls it.
 */
export async function callDirectLine(
  base: string,
  method: string,
  p: string,
  token?: string,
  body?: unknown,
) {
  const auth = token ?? (p === '/tokens/generate' ? TEST_DIRECT_LINE_SECRET : undefined);
  const res = await fetch(`${base}/v3/directline${p}`, {
    method,
    headers: {
      ...(auth ? { Authorization: `Bearer ${auth}` } : {}),
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
