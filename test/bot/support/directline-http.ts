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

/** A customer's conversation opened over REST as the widget opens it, and a way to send into it. */
export async function openCustomerConversation(base: string, userId: string) {
  const gen = await callDirectLine(base, 'POST', '/tokens/generate', undefined, { user: { id: userId } });
  const token = gen.body.token as string;
  const started = await callDirectLine(base, 'POST', '/conversations', token);
  if (started.status !== 201) throw new Error(`starting a conversation answered ${started.status}`);
  const conversationId = started.body.conversationId as string;
  return {
    token,
    conversationId,
    /**
     * Posts a message from the customer, with the widget's client id if given (a repeat with the
     * same id is stored once); the answer, whatever its status.
     */
    send: (text: string, clientActivityId?: string) =>
      callDirectLine(base, 'POST', `/conversations/${conversationId}/activities`, token, {
        type: 'message',
        from: { id: userId },
        text,
        ...(clientActivityId ? { channelData: { clientActivityId } } : {}),
      }),
    /** The texts of every activity the channel holds for the conversation. */
    texts: async () => {
      const got = await callDirectLine(
        base,
        'GET',
        `/conversations/${conversationId}/activities?watermark=0`,
        token,
      );
      if (got.status !== 200) throw new Error(`reading the activities answered ${got.status}`);
      return (got.body.activities as Array<{ id: string; text?: string }>).map((a) => a.text);
    },
  };
}
