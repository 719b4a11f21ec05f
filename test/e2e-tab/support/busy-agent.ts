/**
 * An agent with many chats open, one of them long, built through the public interfaces as a busy
 * agent's day builds it: customers on Direct Line leave a message while nobody is free, the agent
 * picks each from the open list, and writes a long chat's lines through the agent API. What the
 * tab's tests (many-sessions.e2e.test.ts) and its benchmark (bench/tab-render.bench.ts) open.
 */
import { signIn, until, type ApiClient, type Customer } from '../../api/support/clients.js';
import { customerLeavingAMessage, customerPastSurvey } from '../../api/support/live-conversation.js';

/** The agent API's per-user write limit lifted, for a server that takes a long chat's lines at once. */
export const UNHURRIED_WRITES = { writesPerUser: { points: 1_000_000, seconds: 60 } };

/** A Monday, 10:00 in New York: every demo queue is open (Billing keeps office hours). */
export const WEEKDAY_MORNING = new Date('2026-12-07T15:00:00Z');

export interface BusyChat {
  id: string;
  name: string;
  customer: Customer;
  /** Whose chat it is: the busy agent's own, or a colleague's they were asked to consult on. */
  agentId: string;
}

export interface BusyAgent {
  agent: ApiClient;
  /** In the order the agent got them: the session list's order. The long one is the first. */
  chats: BusyChat[];
  long: BusyChat;
  end(): void;
}

/**
 * Who holds each chat, in order: the busy agent as many as their capacity takes (three web chats),
 * then colleagues who ask them to consult, as many as theirs take. Billing's two need a server whose
 * clock is in office hours (`WEEKDAY_MORNING`).
 */
const HOLDERS: Array<{ agentId: string | null; topic?: string }> = [
  ...Array.from({ length: 3 }, () => ({ agentId: null })),
  ...['agent_alex', 'agent_farah', 'agent_emma', 'supervisor_sam', 'agent_alex', 'agent_farah'].map(
    (agentId) => ({ agentId }),
  ),
  ...['agent_emma', 'supervisor_sam', 'agent_alex', 'agent_farah'].map((agentId) => ({ agentId })),
  ...['agent_bianca', 'agent_devi'].flatMap((agentId) =>
    Array.from({ length: 3 }, () => ({ agentId, topic: 'Billing' })),
  ),
];
export const MOST_BUSY_SESSIONS = HOLDERS.length;

const SURNAMES = ['Ortiz', 'Kim', 'Brown', 'Novak', 'Silva', 'Haddad', 'Larsen', 'Okafor'];

/** The words of the long chat's line `k`: every fifth an internal note, every third with markdown. */
export const longLine = (k: number) =>
  k % 3 === 0 ? `Line ${k}: let me check *that* for you` : `Line ${k}: still looking at your connection`;

/**
 * `agentId` with `sessions` chats (at most `MOST_BUSY_SESSIONS`), the first of them `longMessages`
 * lines long (the server must take the writes: `UNHURRIED_WRITES`). Everyone in the demo's queues is
 * Away, so the customers wait for whoever picks them.
 */
export async function busyAgent(
  base: string,
  agentId: string,
  opts: { sessions: number; longMessages: number; tag?: string },
): Promise<BusyAgent> {
  if (opts.sessions > HOLDERS.length) throw new Error(`at most ${HOLDERS.length} sessions`);
  const everyone = ['agent_alex', 'agent_bianca', 'agent_chen', 'agent_devi', 'agent_emma', 'agent_farah'];
  const clients = new Map<string, ApiClient>();
  for (const id of [...everyone, 'supervisor_sam']) {
    const client = await signIn(base, id);
    await client.call('PUT', '/me/presence', { presence: 'away' });
    clients.set(id, client);
  }
  const agent = clients.get(agentId) ?? (await signIn(base, agentId));
  const tag = opts.tag ?? 'busy';
  const chats: BusyChat[] = [];
  for (const [i, holder] of HOLDERS.slice(0, opts.sessions).entries()) {
    const name = `${i === 0 ? 'Long' : 'Short'} ${SURNAMES[i % SURNAMES.length]} ${String(i).padStart(2, '0')}`;
    const by = holder.agentId ? clients.get(holder.agentId)! : agent;
    const customer = await customerWaiting(base, { userId: `dl_${tag}${i}`, name }, holder.topic);
    const id = await waitingItem(by, name);
    await expectOk(`${by.agentId} picks ${name}`, by.call('POST', `/conversations/${id}/pick`));
    if (by !== agent)
      await expectOk(
        `${by.agentId} consults ${agentId}`,
        by.call('POST', `/conversations/${id}/consult`, { agentId }),
      );
    chats.push({ id, name, customer, agentId: by.agentId });
  }
  const long = chats[0]!;
  // A few at a time: the order on the transcript is the server's (seq), whatever the order sent.
  for (let k = 0; k < opts.longMessages; k += 8) {
    await Promise.all(
      Array.from({ length: Math.min(8, opts.longMessages - k) }, (_, j) =>
        expectOk(
          `line ${k + j}`,
          agent.call('POST', `/conversations/${long.id}/messages`, {
            text: longLine(k + j),
            visibility: (k + j) % 5 === 4 ? 'internal' : 'public',
          }),
        ),
      ),
    );
  }
  return { agent, chats, long, end: () => chats.forEach((c) => c.customer.end()) };
}

/**
 * A customer waiting in the queue `topic` leads to: technical support, with nobody free, offers to
 * take a message, which waits there; billing takes them into its queue at once.
 */
async function customerWaiting(
  base: string,
  customer: { userId: string; name: string },
  topic?: string,
): Promise<Customer> {
  if (!topic) return customerLeavingAMessage(base, customer);
  const chat = await customerPastSurvey(base, customer, topic);
  await chat.post({ type: 'message', text: 'I want to talk to an agent' });
  return chat;
}

async function expectOk(what: string, answer: ReturnType<ApiClient['call']>): Promise<void> {
  const { status, body } = await answer;
  if (status >= 300) throw new Error(`${what}: ${status} ${JSON.stringify(body)}`);
}

function waitingItem(agent: ApiClient, customerName: string): Promise<string> {
  return until(
    `${customerName} in the open list`,
    async () =>
      (
        (await agent.call('GET', '/work-items?view=open')).body.items as Array<{
          id: string;
          customerName?: string;
        }>
      ).find((w) => w.customerName === customerName)?.id,
    30_000,
  );
}
