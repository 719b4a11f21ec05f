import { expect } from 'vitest';
import { WebSocket } from 'ws';
import {
  openStream,
  signIn,
  until,
  type ApiClient,
  type Json,
  type LiveStream,
} from '../../api/support/clients.js';
import { TEST_DIRECT_LINE_SECRET } from '../../support/server.js';

// A customer on the local Direct Line channel as the widget is: REST calls with the conversation's
// token and a WebSocket stream, over the real server.

export interface DlActivity {
  type: string;
  text?: string;
  name?: string;
  from: { id: string };
}

export async function dl(base: string, method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(`${base}/v3/directline${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

/** A stream of a conversation: its activities, its empty frames, and how the server closed it. */
export async function openDlStream(url: string, opts: { answersPings: boolean } = { answersPings: true }) {
  const socket = new WebSocket(url, { autoPong: opts.answersPings });
  const seen: DlActivity[] = [];
  const state: { empty: number; closed: boolean; code?: number } = { empty: 0, closed: false };
  socket.on('message', (data) => {
    const text = String(data);
    if (text === '') state.empty++;
    else seen.push(...(JSON.parse(text) as { activities: DlActivity[] }).activities);
  });
  socket.on('close', (code) => Object.assign(state, { closed: true, code }));
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  return { socket, seen, state };
}

/** A started conversation with its stream open, through the pre-chat survey and asking for a person. */
export async function customerAskingForAPerson(base: string, userId: string, name: string) {
  const generated = await dl(base, 'POST', '/tokens/generate', TEST_DIRECT_LINE_SECRET, {
    user: { id: userId, name },
  });
  const started = await dl(base, 'POST', '/conversations', generated.body.token as string);
  const token = started.body.token as string;
  const conversationId = started.body.conversationId as string;
  const stream = await openDlStream(started.body.streamUrl as string);
  const postRaw = (activity: Record<string, unknown>) =>
    dl(base, 'POST', `/conversations/${conversationId}/activities`, token, {
      from: { id: userId, name },
      ...activity,
    });
  const post = async (activity: Record<string, unknown>) =>
    expect((await postRaw(activity)).status).toBe(200);
  const waitFor = (what: string, test: (a: DlActivity) => boolean) =>
    until(`the customer sees ${what}`, () => stream.seen.find((a) => a.from.id !== userId && test(a)));
  await asksForAPerson({ post, waitFor }, userId, name);
  return { userId, token, conversationId, stream, post, postRaw, waitFor };
}

/** What the widget sends from its first page to asking for a person: the pre-chat survey answered. */
export async function asksForAPerson(
  customer: {
    post(activity: Record<string, unknown>): Promise<unknown>;
    waitFor(what: string, test: (a: DlActivity) => boolean): Promise<unknown>;
  },
  userId: string,
  name: string,
): Promise<void> {
  const { post, waitFor } = customer;
  await post({ type: 'event', name: 'visitorContext', value: { visitor: { authenticated: false } } });
  await waitFor('the pre-chat survey', (a) => a.type === 'event' && a.name === 'preChatSurvey');
  await post({
    type: 'message',
    text: '',
    value: { preChat: { name, email: `${userId}@example.com`, topic: 'Wi-Fi & equipment' } },
  });
  await waitFor('the survey thanks', (a) => a.type === 'message' && /Thanks/.test(a.text ?? ''));
  await post({ type: 'message', text: 'I want to talk to an agent' });
}

/**
 * Alex signed in, Available and on the live stream, everyone else in the demo's queues away: each
 * customer who asks for a person is offered to Alex.
 */
export async function alexAlone(base: string): Promise<{ agent: ApiClient; agentStream: LiveStream }> {
  for (const other of ['agent_emma', 'agent_farah', 'agent_chen', 'supervisor_sam']) {
    await (await signIn(base, other)).call('PUT', '/me/presence', { presence: 'away' });
  }
  const agent = await signIn(base, 'agent_alex');
  const agentStream = await openStream(base, agent.token);
  await agent.call('PUT', '/me/presence', { presence: 'available' });
  return { agent, agentStream };
}
