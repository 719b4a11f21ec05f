/**
 * A stand-in for the Switchboard server in widget tests: serves tab/dist like the real server does
 * and speaks Direct Line 3.0 (docs: docs/direct-line.md) on a real socket, with a
 * scripted bot. It lets the widget be tested on its own, without the routing engine.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { jwtVerify } from 'jose';
import { WebSocketServer, type WebSocket } from 'ws';
import { buildWeb } from '../../support/web-build.js';

const DIST = fileURLToPath(new URL('../../../tab/dist/', import.meta.url));
const BOT = { id: 'switchboard-bot', name: 'Northwind Assistant', role: 'bot' };

export interface Activity {
  type: string;
  id?: string;
  timestamp?: string;
  from?: { id: string; name?: string; role?: string };
  text?: string;
  name?: string;
  value?: unknown;
  [k: string]: unknown;
}

interface Conversation {
  id: string;
  token: string;
  activities: Activity[];
  sockets: Set<WebSocket>;
  /** Activity ids by the client's own id: a repeated send is stored once, as the real channel does. */
  byClientId?: Map<string, string>;
}

export interface StandIn {
  url: string;
  /** Every activity received from clients, in order. */
  received: Activity[];
  conversations: Map<string, Conversation>;
  /** Makes the next WebSocket upgrades fail, to exercise the polling fallback. */
  refuseSockets: boolean;
  /** Refuses this many of the next messages posted, as the channel's rate limits do (429, Retry-After 1 s). */
  refuseMessages: number;
  /** Every upload that reached the server (accepted or not), by file name. */
  uploads: string[];
  /** Requests for attachment files, by path. */
  fileRequests: string[];
  /** The body of every `POST /widget/token`, in order. */
  tokenRequests: Array<{ visitor?: string; authToken?: string }>;
  /**
   * The key signed-in chat tokens are checked with, as the real server's `CHAT_AUTH_SECRET`;
   * null: the server takes no signed-in chats (400 `chat.auth_not_configured`).
   */
  chatAuthSecret: string | null;
  /** Ends a conversation as the server would after a timeout (404 from then on). */
  forget(conversationId: string): void;
  /**
   * The bot sends this now, as the real bot relays news from the agent side (a transfer, a
   * reopen) outside the customer's turn. Returns the activity's id.
   */
  botSends(conversationId: string, activity: Omit<Activity, 'type'> & { type?: string }): string;
  close(): Promise<void>;
}

/** What the real channel takes (docs/direct-line.md, upload). */
const UPLOAD_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain'];
const MAX_UPLOAD_BYTES = 4 * 1024 * 1024;

interface StoredFile {
  conversationId: string;
  contentType: string;
  bytes: Buffer;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

export async function startStandIn(
  opts: { tokenSeconds?: number; distDir?: string; chatAuthSecret?: string } = {},
): Promise<StandIn> {
  const dist = opts.distDir ? `${opts.distDir.replace(/\/+$/, '')}/` : DIST;
  const conversations = new Map<string, Conversation>();
  const byToken = new Map<string, string>();
  const received: Activity[] = [];
  const files = new Map<string, StoredFile>();
  let seq = 0;
  const newId = (p: string) => `${p}${(++seq).toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const expiresIn = opts.tokenSeconds ?? 1800;

  const issueToken = (conversationId: string) => {
    const token = newId('tok_');
    byToken.set(token, conversationId);
    return token;
  };

  const post = (c: Conversation, a: Activity) => {
    const activity = {
      ...a,
      id: `${c.id}|${c.activities.length.toString().padStart(7, '0')}`,
      timestamp: new Date().toISOString(),
    };
    c.activities.push(activity);
    const set = JSON.stringify({ activities: [activity], watermark: String(c.activities.length) });
    c.sockets.forEach((s) => s.send(set));
    return activity.id;
  };

  const botSay = (c: Conversation, a: Omit<Activity, 'type'> & { type?: string }, delay = 150) =>
    new Promise<void>((resolve) =>
      setTimeout(() => {
        if (conversations.has(c.id)) post(c, { type: 'message', from: BOT, ...a });
        resolve();
      }, delay),
    );

  const bot = async (c: Conversation, a: Activity) => {
    if (a.type === 'event' && a.name === 'visitorContext') {
      await botSay(c, { text: "Hi! I'm the Northwind virtual assistant." });
      await botSay(c, {
        type: 'event',
        name: 'preChatSurvey',
        value: {
          questions: [
            { id: 'name', prompt: 'Your name', kind: 'text', required: true },
            { id: 'email', prompt: 'Email', kind: 'email', required: true },
            {
              id: 'topic',
              prompt: 'What can we help with?',
              kind: 'choice',
              choices: ['Internet', 'Billing', 'Moving'],
              required: true,
            },
          ],
        },
      });
      return;
    }
    if (a.type !== 'message') return;
    const value = (a.value ?? {}) as { preChat?: Record<string, string>; csat?: unknown };
    if (value.preChat) {
      return botSay(c, {
        text: `Thanks, ${value.preChat.name}! What can I help you with today?`,
        suggestedActions: {
          actions: ['Slow Wi-Fi', 'Router lights', 'Talk to an agent'].map((t) => ({
            type: 'imBack',
            title: t,
            value: t,
          })),
        },
      });
    }
    if (value.csat) return botSay(c, { text: 'Thank you for the feedback!' });
    const sent = (a.attachments as Array<{ name?: string }> | undefined) ?? [];
    if (sent.length) return botSay(c, { text: `Thanks, I got ${sent.map((f) => f.name).join(', ')}.` });
    const text = (a.text ?? '').toLowerCase();
    if (text.includes('guide')) {
      // One file on this server, one elsewhere: the widget must fetch only the first, with its token.
      const pdf = storeFile(c.id, 'application/pdf', Buffer.from('%PDF-1.4\n% setup guide\n'));
      return botSay(c, {
        text: 'Here is the setup guide.',
        attachments: [
          { contentType: 'application/pdf', name: 'setup-guide.pdf', contentUrl: pdf },
          {
            contentType: 'image/png',
            name: 'diagram.png',
            contentUrl: 'https://cdn.example.com/diagram.png',
          },
        ],
      });
    }
    post(c, { type: 'typing', from: BOT });
    if (text.includes('router')) {
      return botSay(
        c,
        {
          text: 'This article should help:',
          attachments: [
            {
              contentType: 'application/vnd.microsoft.card.hero',
              content: {
                title: 'What do the lights on my router mean?',
                text: 'Solid white means online; blinking red means no fiber signal.',
                buttons: [
                  { type: 'imBack', title: 'That fixed it', value: 'That fixed it' },
                  { type: 'openUrl', title: 'Read the article', value: 'https://example.com/router-lights' },
                ],
              },
            },
          ],
        },
        400,
      );
    }
    if (text.includes('agent')) {
      await botSay(c, {
        type: 'event',
        name: 'queuePosition',
        value: { position: 2, estimatedWaitSeconds: 120 },
      });
      await botSay(c, { type: 'event', name: 'agentJoined', value: { name: 'Alex' } }, 600);
      return botSay(c, {
        from: { id: 'agent-alex', name: 'Alex' },
        text: "Hi, I'm Alex. I can see your plan — how can I help?",
      });
    }
    if (text === 'html')
      return botSay(c, { text: '<img src=x onerror="window.__xss=1"><b>bold?</b> javascript:alert(1)' });
    if (/\b(good)?bye\b/.test(text)) {
      await botSay(c, { type: 'event', name: 'conversationEnded' });
      return botSay(c, { type: 'event', name: 'postChatSurvey' });
    }
    return botSay(c, { text: `You said: ${a.text}. Visit https://example.com/help for more.` }, 400);
  };

  /** Keeps a file of the conversation and answers its link, as the real channel's are made. */
  const storeFile = (conversationId: string, contentType: string, bytes: Buffer): string => {
    const id = newId('att_');
    files.set(id, { conversationId, contentType, bytes });
    const { port } = server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/v3/directline/conversations/${conversationId}/attachments/${id}`;
  };

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const readBody = async (req: IncomingMessage): Promise<unknown> => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    return raw ? JSON.parse(raw) : {};
  };
  const auth = (req: IncomingMessage): string | null => {
    const h = req.headers.authorization ?? '';
    return h.startsWith('Bearer ') ? h.slice(7) : null;
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    try {
      if (path.startsWith('/v3/directline/') || path === '/widget/token') {
        // Bearer tokens, no cookies: any origin may embed the widget here (the real server names them).
        res.setHeader('Access-Control-Allow-Origin', '*');
        if (req.method === 'OPTIONS') {
          res.writeHead(204, {
            'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
            'Access-Control-Allow-Headers': 'Authorization, Content-Type',
            'Access-Control-Max-Age': '600',
          });
          return res.end();
        }
        if (req.method === 'POST' && path === '/widget/token') {
          // The widget's token: the server assigns the user id (from the visitor credential it keeps).
          const body = ((await readBody(req)) ?? {}) as { visitor?: string; authToken?: string };
          standIn.tokenRequests.push(body);
          const verified = body.authToken ? await verifySignIn(body.authToken) : undefined;
          if (verified && 'error' in verified) return json(res, verified.status, { error: verified.error });
          const visitor =
            body.visitor && /^[A-Za-z0-9_-]{22,}$/.test(body.visitor)
              ? body.visitor
              : `${newId('visitor_')}_abcdefghijklmnop`;
          const id = newId('conv_');
          return json(res, 200, {
            conversationId: id,
            token: issueToken(id),
            expires_in: expiresIn,
            userId: `dl_${visitor.slice(-12)}`,
            visitor,
            ...(verified ? { verified } : {}),
          });
        }
        return await directLine(req, res, url);
      }
      const file =
        path === '/'
          ? 'demo/index.html'
          : path.startsWith('/widget/') || path.startsWith('/demo/')
            ? path.slice(1)
            : null;
      if (!file) return json(res, 404, { error: { code: 'not_found', message: path } });
      const full = normalize(join(dist, file));
      if (!full.startsWith(dist)) return json(res, 404, {});
      const body = await readFile(full);
      res.writeHead(200, { 'Content-Type': TYPES[extname(full)] ?? 'application/octet-stream' });
      res.end(body);
    } catch (err) {
      json(res, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 404 : 500, {
        error: { message: String(err) },
      });
    }
  });

  /** The real server's rules for a site's token (HS256, audience, subject, expiry), in short. */
  const verifySignIn = async (
    token: string,
  ): Promise<
    { name?: string; email?: string } | { status: number; error: { code: string; message: string } }
  > => {
    if (!standIn.chatAuthSecret)
      return {
        status: 400,
        error: { code: 'chat.auth_not_configured', message: 'This server takes no signed-in chats' },
      };
    try {
      const { payload } = await jwtVerify(token, new TextEncoder().encode(standIn.chatAuthSecret), {
        algorithms: ['HS256'],
        audience: 'switchboard-chat',
        requiredClaims: ['sub', 'exp'],
      });
      const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
      const name = text(payload.name);
      const email = text(payload.email);
      return { ...(name ? { name } : {}), ...(email ? { email } : {}) };
    } catch {
      return {
        status: 401,
        error: { code: 'chat.auth_invalid', message: 'The sign-in token was refused' },
      };
    }
  };

  const streamUrl = (c: Conversation, watermark?: string | null) => {
    const { port } = server.address() as AddressInfo;
    return `ws://127.0.0.1:${port}/v3/directline/conversations/${c.id}/stream?t=${c.token}${watermark ? `&watermark=${watermark}` : ''}`;
  };

  async function directLine(req: IncomingMessage, res: ServerResponse, url: URL) {
    const path = url.pathname.slice('/v3/directline'.length);
    if (req.method === 'POST' && path === '/tokens/generate') {
      const id = newId('conv_');
      const token = issueToken(id);
      return json(res, 200, { conversationId: id, token, expires_in: expiresIn });
    }
    const token = auth(req);
    const tokenConv = token ? byToken.get(token) : undefined;
    if (!tokenConv) return json(res, 403, { error: { code: 'token_invalid' } });
    if (req.method === 'POST' && path === '/tokens/refresh') {
      const fresh = issueToken(tokenConv);
      byToken.delete(token!);
      const c = conversations.get(tokenConv);
      if (c) c.token = fresh;
      return json(res, 200, { conversationId: tokenConv, token: fresh, expires_in: expiresIn });
    }
    if (req.method === 'POST' && path === '/conversations') {
      await readBody(req);
      const c: Conversation = { id: tokenConv, token: token!, activities: [], sockets: new Set() };
      conversations.set(c.id, c);
      return json(res, 201, {
        conversationId: c.id,
        token: c.token,
        expires_in: expiresIn,
        streamUrl: streamUrl(c),
      });
    }
    const file = /^\/conversations\/([^/]+)\/attachments\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && file) {
      standIn.fileRequests.push(url.pathname);
      const stored = files.get(file[2]!);
      if (!stored || stored.conversationId !== tokenConv) return json(res, 404, {});
      res.writeHead(200, { 'Content-Type': stored.contentType });
      return res.end(stored.bytes);
    }
    const upload = /^\/conversations\/([^/]+)\/upload$/.exec(path);
    if (req.method === 'POST' && upload) {
      const c = conversations.get(decodeURIComponent(upload[1]!));
      if (!c || c.id !== tokenConv) return json(res, 403, {});
      return receiveUpload(req, res, c, url.searchParams.get('userId') ?? '');
    }
    const m = /^\/conversations\/([^/]+)(\/activities)?$/.exec(path);
    if (!m) return json(res, 404, {});
    const id = decodeURIComponent(m[1]!);
    if (id !== tokenConv) return json(res, 403, {});
    const c = conversations.get(id);
    if (!c) return json(res, 404, { error: { code: 'conversation_ended' } });
    const watermark = url.searchParams.get('watermark');
    if (req.method === 'GET' && !m[2]) {
      return json(res, 200, { conversationId: c.id, token: c.token, streamUrl: streamUrl(c, watermark) });
    }
    if (req.method === 'GET' && m[2]) {
      const from = Number(watermark ?? 0);
      return json(res, 200, { activities: c.activities.slice(from), watermark: String(c.activities.length) });
    }
    if (req.method === 'POST' && m[2]) {
      const activity = (await readBody(req)) as Activity;
      if (activity.type === 'message' && standIn.refuseMessages > 0) {
        standIn.refuseMessages--;
        res.setHeader('Retry-After', '1');
        return json(res, 429, { error: { code: 'rate_limited', message: 'Too many requests' } });
      }
      const clientId = (activity.channelData as { clientActivityId?: unknown } | undefined)?.clientActivityId;
      c.byClientId ??= new Map();
      const stored = typeof clientId === 'string' ? c.byClientId.get(clientId) : undefined;
      if (stored) return json(res, 200, { id: stored });
      received.push(activity);
      const posted = post(c, activity);
      if (typeof clientId === 'string') c.byClientId.set(clientId, posted);
      void bot(c, activity);
      return json(res, 200, { id: posted });
    }
    return json(res, 405, {});
  }

  /** Direct Line upload: a `file` part and an optional `activity` part (the caption and sender). */
  async function receiveUpload(req: IncomingMessage, res: ServerResponse, c: Conversation, userId: string) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const form = await new Response(Buffer.concat(chunks), {
      headers: { 'Content-Type': req.headers['content-type'] ?? '' },
    }).formData();
    const file = form.get('file');
    if (!(file instanceof Blob))
      return json(res, 400, { error: { code: 'bad_request', message: 'No file' } });
    const name = (file as File).name;
    standIn.uploads.push(name);
    const refuse = (status: number, code: string, message: string) =>
      json(res, status, { error: { code, message } });
    if (!UPLOAD_TYPES.includes(file.type))
      return refuse(415, 'type', `Files of type ${file.type} are not accepted`);
    if (file.size > MAX_UPLOAD_BYTES) return refuse(413, 'too_big', 'Files may be at most 4 MB');
    // The widget cannot know this one: it stands for anything the server alone may refuse.
    if (name.startsWith('refused')) return refuse(415, 'type', `${name} does not look like a picture`);
    const part = form.get('activity');
    const activity = (part instanceof Blob ? JSON.parse(await part.text()) : {}) as Activity;
    const contentUrl = storeFile(c.id, file.type, Buffer.from(await file.arrayBuffer()));
    const message: Activity = {
      ...activity,
      type: 'message',
      from: { id: userId },
      attachments: [{ contentType: file.type, name, contentUrl }],
    };
    received.push(message);
    const id = post(c, message);
    void bot(c, message);
    return json(res, 200, { id });
  }

  const wss = new WebSocketServer({ noServer: true });
  const standIn: StandIn = {
    url: '',
    received,
    conversations,
    refuseSockets: false,
    refuseMessages: 0,
    uploads: [],
    fileRequests: [],
    tokenRequests: [],
    chatAuthSecret: opts.chatAuthSecret ?? null,
    forget(id) {
      const c = conversations.get(id);
      conversations.delete(id);
      c?.sockets.forEach((s) => s.close());
    },
    botSends(id, activity) {
      const c = conversations.get(id);
      if (!c) throw new Error(`No conversation ${id}`);
      return post(c, { type: 'message', from: BOT, ...activity });
    },
    async close() {
      wss.clients.forEach((s) => s.terminate());
      await new Promise<void>((r) => wss.close(() => r()));
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const m = /^\/v3\/directline\/conversations\/([^/]+)\/stream$/.exec(url.pathname);
    const c = m ? conversations.get(m[1]!) : undefined;
    if (!c || standIn.refuseSockets || url.searchParams.get('t') !== c.token) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      c.sockets.add(ws);
      ws.on('close', () => c.sockets.delete(ws));
      const from = Number(url.searchParams.get('watermark') ?? 0);
      const backlog = c.activities.slice(from);
      if (backlog.length)
        ws.send(JSON.stringify({ activities: backlog, watermark: String(c.activities.length) }));
    });
  });

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  standIn.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return standIn;
}

/**
 * The stand-in serving a build of the web assets of its own: other suites may be rebuilding
 * tab/dist for the real server meanwhile. Closing it removes the build.
 */
export async function startStandInOwnBuild(): Promise<StandIn> {
  const distDir = await mkdtemp(join(tmpdir(), 'switchboard-widget-'));
  buildWeb(distDir);
  const server = await startStandIn({ distDir });
  // The same object, not a copy: suites set the stand-in's switches on it.
  const close = server.close.bind(server);
  server.close = async () => {
    await close();
    await rm(distDir, { recursive: true, force: true });
  };
  return server;
}
