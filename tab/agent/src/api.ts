// The one way the tab talks to the server: the agent API under /api/v1 (docs/agent-api.md), a
// bearer token on every call, errors turned into ApiError with the server's code and message.
import type { MessagePage } from './message-pages.js';
import { sendOnce } from './send-once.js';
import { serverClock } from './server-clock.js';

import type {
  AgentListItem,
  AgentScript,
  AssistSuggestion,
  CaseInfo,
  ConversationDetails,
  ConversationSummary,
  CustomerSummary,
  KnowledgeArticle,
  KnowledgeHit,
  MacroResult,
  Me,
  Message,
  Note,
  Offer,
  Person,
  Candidate,
  Presence,
  QueueInfo,
  QueueRealtime,
  QuickReply,
  SupervisorConversation,
  SessionItem,
  Visibility,
  WorkItem,
  AlertThreshold,
  TimelinePage,
} from './types.js';

/** One change in a case's history (`GET /cases/:id`), newest first. */
export interface CaseChange {
  at: string;
  agentId: string;
  agentName: string;
  action: 'opened' | 'linked' | 'edited' | 'resolved' | 'cancelled' | 'reactivated';
  conversationId?: string;
  fields?: string[];
  text?: string;
}

/** A case as `GET /cases/:id` answers it: who owns it and what was done to it. */
export interface CaseDetails extends CaseInfo {
  number: string;
  status: 'active' | 'resolved' | 'cancelled';
  priority: 'low' | 'normal' | 'high' | 'urgent';
  caseType: 'question' | 'problem' | 'request';
  description: string;
  product: string;
  conversationIds: string[];
  ownerId?: string;
  ownerName?: string;
  resolution?: string;
  cancelReason?: string;
  history: CaseChange[];
}

/** What an agent may change on a case (`PUT /cases/:id`). */
export type CaseChanges = Partial<Pick<CaseDetails, 'title' | 'description' | 'priority' | 'product'>> & {
  type?: CaseDetails['caseType'];
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The answer's Retry-After, in seconds, when it gave one. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const API_BASE = '/api/v1';

/** No answer came (fetch failed: offline, connection dropped), or a gateway or the server could not finish. */
function mayHaveBeenStored(err: unknown): boolean {
  if (err instanceof ApiError) return err.status === 502 || err.status === 503 || err.status === 504;
  return err instanceof TypeError;
}

type Items<T> = { items: T[] };
const enc = encodeURIComponent;

function send(
  token: string | null,
  method: string,
  path: string,
  body?: unknown,
  extra: Record<string, string> = {},
): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...extra };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const sentAt = Date.now();
  return fetch(API_BASE + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  }).then((res) => {
    serverClock.observe(res.headers.get('date'), sentAt, Date.now());
    return res;
  });
}

/** What `read` needs of a fetch Response (index.html's early answers are read to the end already). */
interface Answer {
  ok: boolean;
  status: number;
  statusText: string;
  /** Absent on index.html's early answers (sign-in and first-screen reads, which never wait). */
  headers?: { get(name: string): string | null };
  text(): Promise<string>;
}

/** Retry-After in seconds; an HTTP date is not sent by this server. */
function retryAfter(res: Answer): number | undefined {
  const value = Number(res.headers?.get('retry-after') ?? NaN);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

async function read<T>(answer: Promise<Answer>): Promise<T> {
  const res = await answer;
  const text = await res.text();
  let json: unknown = undefined;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      // A non-JSON answer (a proxy's error page) is reported below with its status.
      json = undefined;
    }
  }
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(
      res.status,
      err?.code ?? `http_${res.status}`,
      err?.message ?? res.statusText,
      retryAfter(res),
    );
  }
  return json as T;
}

function request<T>(token: string | null, method: string, path: string, body?: unknown): Promise<T> {
  return read<T>(send(token, method, path, body));
}

/**
 * What the first screen of a signed-in agent needs, in the order it needs it. index.html asks for
 * these before the code has even downloaded (it must list the same paths); `prime` asks for them
 * together otherwise (Teams SSO), instead of one after the other as the components mount.
 */
export const FIRST_SCREEN = [
  '/me',
  '/me/sessions',
  '/work-items?view=mine',
  '/work-items?view=open',
  '/work-items?view=closed',
];

interface EarlyAnswers {
  /** The dev token the answers were asked with; null: the sign-in list, asked without one. */
  token: string | null;
  answers: Record<string, Promise<Answer> | undefined>;
}

/** Takes (once) the answer index.html's inline script asked for with this token, if any. */
function takeEarly(token: string | null, path: string): Promise<Answer> | undefined {
  const early = (window as { __switchboardEarly?: EarlyAnswers }).__switchboardEarly;
  if (!early || early.token !== token) return undefined;
  const answer = early.answers[path];
  early.answers[path] = undefined;
  return answer;
}

/** Sign-in routes: no token (the first two in local mode only, the last in Teams mode only). */
export const publicApi = {
  agents: () => request<Items<AgentListItem>>(null, 'GET', '/agents').then((r) => r.items),
  devSignIn: (agentId: string) =>
    request<{ token: string; agent: Me }>(null, 'POST', '/dev/sign-in', { agentId }),
  /** The tab's Entra ID app registration, for the sign-in window (consent.ts). */
  teamsSignIn: () => request<{ clientId: string }>(null, 'GET', '/sign-in/teams'),
};

let agentsEarly: Promise<AgentListItem[]> | null = null;

/** Starts the sign-in list's request before React renders, so the first screen waits on one thing less. */
export function prefetchAgents(): void {
  agentsEarly ??= read<Items<AgentListItem>>(takeEarly(null, '/agents') ?? send(null, 'GET', '/agents')).then(
    (r) => r.items,
  );
  // Handled by whoever takes it; this only keeps an early failure from being reported as unhandled.
  agentsEarly.catch(() => undefined);
}

/**
 * Does this server offer the local-mode sign-in? Resolves true when the sign-in list answered
 * (asking for it if nobody has), false in Teams mode (404) or on failure. The answer stays for
 * `takeAgents`.
 */
export function localModeServer(): Promise<boolean> {
  prefetchAgents();
  return agentsEarly!.then(
    () => true,
    () => false,
  );
}

export function takeAgents(): Promise<AgentListItem[]> {
  const p = agentsEarly ?? publicApi.agents();
  agentsEarly = null;
  return p;
}

export type Api = ReturnType<typeof createApi>;

/** What the server made of the token, for whoever holds the sign-in (App.tsx). */
export interface TokenEvents {
  /** A call was answered: the token works (told once per token). */
  accepted(): void;
  /** 401: the token is refused (expired, for another app…). */
  refused(err: ApiError): void;
  /** 503 `auth.unavailable`: the server cannot check tokens now; the token may be fine. */
  unavailable(err: ApiError): void;
}

export function createApi(token: string, events: TokenEvents) {
  /** GET answers asked for ahead of the component that needs them; each is used once. */
  const primed = new Map<string, Promise<Answer>>();
  let accepted = false;
  const call = async <T>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<T> => {
    try {
      let answer = method === 'GET' ? primed.get(path) : undefined;
      if (answer) primed.delete(path);
      else answer = send(token, method, path, body, headers);
      const result = await read<T>(answer);
      if (!accepted) {
        accepted = true;
        events.accepted();
      }
      return result;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) events.refused(err);
      if (err instanceof ApiError && err.status === 503 && err.code === 'auth.unavailable') {
        events.unavailable(err);
      }
      throw err;
    }
  };
  const get = <T>(path: string) => call<T>('GET', path);
  const post = <T>(path: string, body: unknown = {}) => call<T>('POST', path, body);
  const put = <T>(path: string, body: unknown) => call<T>('PUT', path, body);
  const c = (id: string) => `/conversations/${enc(id)}`;

  return {
    token,
    /** Asks for these GETs now, all at once; the next `get` of each path takes the answer. */
    prime(paths: readonly string[]): void {
      for (const path of paths) {
        if (primed.has(path)) continue;
        const answer = takeEarly(token, path) ?? send(token, 'GET', path);
        // Whoever takes it reports a failure; unused, it must not surface as an unhandled rejection.
        answer.catch(() => undefined);
        primed.set(path, answer);
      }
    },
    me: () => get<Me>('/me'),
    presences: () => get<Items<Presence>>('/presences').then((r) => r.items),
    setPresence: (presence: string) => put<Me>('/me/presence', { presence }),
    setQueueOptIn: (queueId: string, optedIn: boolean) => put<Me>(`/me/queues/${enc(queueId)}`, { optedIn }),
    setAlertThreshold: (threshold: AlertThreshold) => put<Me>('/me/alert-threshold', { threshold }),

    /** A dashboard list and how many items it has in all (the open list shows the longest waiting). */
    /** `before`: the closed list's `nextCursor`, for the page after it. */
    workItems: (view: 'mine' | 'open' | 'closed', before?: string) =>
      get<Items<WorkItem> & { total: number; nextCursor?: string }>(
        `/work-items?view=${view}${before ? `&before=${enc(before)}` : ''}`,
      ),
    /** The conversations I am in now, as mine or joined (consult, monitor): a reload reopens them. */
    mySessions: () => get<Items<SessionItem>>('/me/sessions').then((r) => r.items),
    pick: (id: string) => post<WorkItem>(`${c(id)}/pick`),
    reopen: (id: string) => post<WorkItem>(`${c(id)}/reopen`),
    offers: () => get<Items<Offer>>('/offers').then((r) => r.items),
    acceptOffer: (offerId: string) => post<WorkItem>(`/offers/${enc(offerId)}/accept`),
    rejectOffer: (offerId: string) => post<unknown>(`/offers/${enc(offerId)}/reject`),

    conversation: (id: string) => get<ConversationDetails>(c(id)),
    /** Sends the customer files, with words if given, as one public message. */
    sendFiles: async (id: string, files: File[], text?: string) => {
      const form = new FormData();
      for (const f of files) form.append('file', f, f.name);
      if (text) form.append('text', text);
      const sentAt = Date.now();
      const res = await fetch(`${API_BASE}${c(id)}/files`, {
        method: 'POST',
        headers: { Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: form,
      });
      serverClock.observe(res.headers.get('date'), sentAt, Date.now());
      return read<Message>(Promise.resolve(res));
    },
    /** A file the customer sent, as the server checked it (its own type). */
    file: async (id: string, fileId: string) => {
      const res = await send(token, 'GET', `${c(id)}/files/${enc(fileId)}`);
      if (!res.ok) await read(Promise.resolve(res));
      return res.blob();
    },
    /** One page of the messages after `after` (a seq, or the last page's `nextCursor`), oldest first. */
    messagePage: (id: string, after?: string | number) =>
      get<MessagePage>(`${c(id)}/messages${after !== undefined ? `?after=${enc(String(after))}` : ''}`),
    /** The newest `count` messages, oldest first. */
    latestMessages: (id: string, count: number) =>
      get<MessagePage>(`${c(id)}/messages?latest=${count}`).then((r) => r.items),
    /**
     * Sends a message under the caller's idempotency key, again while no answer can be trusted
     * (send-once.ts): the server stores and relays a key's message once.
     */
    send: (id: string, text: string, visibility: Visibility, key: string) =>
      sendOnce(
        () => call<Message>('POST', `${c(id)}/messages`, { text, visibility }, { 'Idempotency-Key': key }),
        mayHaveBeenStored,
      ),
    typing: (id: string) => post<unknown>(`${c(id)}/typing`),
    quickReplies: (id: string, q: string) =>
      get<Items<QuickReply>>(`${c(id)}/quick-replies?q=${enc(q)}`).then((r) => r.items),
    consult: (id: string, agentId: string) => post<ConversationDetails>(`${c(id)}/consult`, { agentId }),
    /** The chat's agent (or a supervisor) ends a colleague's consult, or takes the ask back. */
    endConsult: (id: string, agentId: string) =>
      post<ConversationDetails>(`${c(id)}/consults/${enc(agentId)}/end`),
    leave: (id: string) => post<unknown>(`${c(id)}/leave`),
    monitor: (id: string) => post<unknown>(`${c(id)}/monitor`),
    /** Whom the conversation could go to for `action`, each with whether the server would take it. */
    candidates: (id: string, action: 'consult' | 'transfer' | 'assign', q = '') =>
      get<Items<Candidate>>(`${c(id)}/candidates?for=${action}${q ? `&q=${enc(q)}` : ''}`).then(
        (r) => r.items,
      ),
    transferToAgent: (id: string, toAgentId: string, note?: string) =>
      post<ConversationDetails>(`${c(id)}/transfer`, { toAgentId, ...(note ? { note } : {}) }),
    transferToQueue: (id: string, toQueueId: string, note?: string) =>
      post<ConversationDetails>(`${c(id)}/transfer`, { toQueueId, ...(note ? { note } : {}) }),
    assign: (id: string, agentId: string) => post<unknown>(`${c(id)}/assign`, { agentId }),
    end: (id: string) => post<ConversationDetails>(`${c(id)}/end`),
    wrapUp: (id: string, disposition: string) =>
      post<ConversationDetails>(`${c(id)}/wrap-up`, { disposition }),
    forceClose: (id: string, reason?: string) =>
      post<unknown>(`${c(id)}/force-close`, reason ? { reason } : {}),
    focus: (id: string, focused: boolean) => post<unknown>(`${c(id)}/focus`, { focused }),
    notes: (id: string) => get<Items<Note>>(`${c(id)}/notes`).then((r) => r.items),
    addNote: (id: string, text: string) => post<Note>(`${c(id)}/notes`, { text }),
    summary: (id: string) => get<ConversationSummary>(`${c(id)}/summary`),
    customerSummary: (id: string) => get<CustomerSummary>(`${c(id)}/customer`),
    linkCase: (id: string, body: { caseId: string } | { title: string; description?: string }) =>
      post<CaseInfo>(`${c(id)}/case`, body),
    assist: (id: string) => get<Items<AssistSuggestion>>(`${c(id)}/assist`).then((r) => r.items),
    script: (id: string, scriptId?: string) =>
      get<{ script: AgentScript | null }>(
        `${c(id)}/script${scriptId ? `?scriptId=${enc(scriptId)}` : ''}`,
      ).then((r) => r.script),
    markStepDone: (id: string, stepId: string, scriptId?: string) =>
      post<{ script: AgentScript } | AgentScript>(
        `${c(id)}/script/steps/${enc(stepId)}/done${scriptId ? `?scriptId=${enc(scriptId)}` : ''}`,
      ),
    markStepUndone: (id: string, stepId: string, scriptId?: string) =>
      call<{ script: AgentScript } | AgentScript>(
        'DELETE',
        `${c(id)}/script/steps/${enc(stepId)}/done${scriptId ? `?scriptId=${enc(scriptId)}` : ''}`,
      ),
    runMacro: (id: string, macroId: string) =>
      post<{ results: MacroResult[] }>(`${c(id)}/macros/${enc(macroId)}/run`),
    sendArticle: (id: string, articleId: string) =>
      post<Message>(`${c(id)}/knowledge/${enc(articleId)}/send`),

    /** The customer's newest entries, or those older than `before` (the last page's `nextCursor`). */
    timeline: (customerId: string, before?: string) =>
      get<TimelinePage>(
        `/customers/${enc(customerId)}/timeline${before !== undefined ? `?before=${enc(before)}` : ''}`,
      ),
    addCustomerNote: (customerId: string, text: string) =>
      post<unknown>(`/customers/${enc(customerId)}/notes`, { text }),
    caseSummary: (caseId: string) =>
      get<{ text?: string; summary?: string }>(`/cases/${enc(caseId)}/summary`),
    caseDetails: (caseId: string) => get<CaseDetails>(`/cases/${enc(caseId)}`),
    editCase: (caseId: string, changes: CaseChanges) => put<CaseDetails>(`/cases/${enc(caseId)}`, changes),
    resolveCase: (caseId: string, resolution: string) =>
      post<CaseDetails>(`/cases/${enc(caseId)}/resolve`, { resolution }),
    cancelCase: (caseId: string, reason: string) =>
      post<CaseDetails>(`/cases/${enc(caseId)}/cancel`, { reason }),
    reactivateCase: (caseId: string) => post<CaseDetails>(`/cases/${enc(caseId)}/reactivate`),
    searchKnowledge: (q: string) =>
      get<Items<KnowledgeHit>>(`/knowledge/search?q=${enc(q)}`).then((r) => r.items),
    article: (articleId: string) => get<KnowledgeArticle>(`/knowledge/${enc(articleId)}`),
    people: (q: string) => get<Items<Person>>(`/people?q=${enc(q)}`).then((r) => r.items),
    queues: () => get<Items<QueueInfo>>('/queues').then((r) => r.items),

    /** The board's conversations (at most 1,000: see `total`) and how many are ongoing in all. */
    supervisorConversations: () =>
      get<Items<SupervisorConversation> & { total: number }>('/supervisor/conversations'),
    realtime: () => get<Items<QueueRealtime>>('/supervisor/realtime').then((r) => r.items),
  };
}
