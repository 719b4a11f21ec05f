import { SignJWT } from 'jose';
import { expect } from 'vitest';
import { until, type Json } from './clients.js';

/** The key tests start servers with for signed-in chat (`CHAT_AUTH_SECRET`). */
export const CHAT_AUTH_SECRET = 'test-chat-auth-secret-0123456789abcdef';

/** A token as a site's server signs one for its signed-in customer (`cust-1001` unless said). */
export function signChatToken(
  claims: Record<string, unknown>,
  opts: { secret?: string; sub?: string | null; aud?: string; expires?: string } = {},
): Promise<string> {
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setAudience(opts.aud ?? 'switchboard-chat')
    .setIssuedAt()
    .setExpirationTime(opts.expires ?? '10m');
  if (opts.sub !== null) jwt = jwt.setSubject(opts.sub ?? 'cust-1001');
  return jwt.sign(new TextEncoder().encode(opts.secret ?? CHAT_AUTH_SECRET));
}

/** The widget's token request, from a page of the server at `base`. */
export async function widgetToken(base: string, body: Record<string, unknown>) {
  const res = await fetch(`${base}/widget/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: base },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

/**
 * A chat started with a widget token, through the survey (as `name`, with a typed e-mail), asking
 * for a person, over plain Direct Line calls. `visitor`: what the page says of its visitor.
 */
export async function chatAsksForAPerson(
  base: string,
  token: string,
  name: string,
  visitor: Record<string, unknown> = {},
): Promise<void> {
  const dl = async (method: string, path: string, bearer: string, body?: unknown) => {
    const res = await fetch(`${base}/v3/directline${path}`, {
      method,
      headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Json };
  };
  const started = await dl('POST', '/conversations', token);
  expect(started.status).toBe(201);
  const t = started.body.token as string;
  const c = started.body.conversationId as string;
  const seen = (what: string, test: (a: Json) => boolean) =>
    until(what, async () => {
      const page = await dl('GET', `/conversations/${c}/activities`, t);
      return (page.body.activities as Json[]).find(test);
    });
  await dl('POST', `/conversations/${c}/activities`, t, {
    type: 'event',
    name: 'visitorContext',
    value: { visitor: { authenticated: false, ...visitor } },
  });
  await seen('the survey', (a) => a.name === 'preChatSurvey');
  await dl('POST', `/conversations/${c}/activities`, t, {
    type: 'message',
    text: '',
    value: { preChat: { name, email: 'typed@example.com', topic: 'Wi-Fi & equipment' } },
  });
  await seen('the survey thanks', (a) => /Thanks/.test((a.text as string | undefined) ?? ''));
  await dl('POST', `/conversations/${c}/activities`, t, {
    type: 'message',
    text: 'I want to talk to an agent',
  });
}
