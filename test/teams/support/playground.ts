import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';

// Microsoft 365 Agents Playground (the local Teams emulator) as a child process, anonymous and
// without a browser, driven through the HTTP and WebSocket API its own web UI uses. It plays the Bot
// Connector at http://localhost:<port>/_connector for the bot's replies and proactive sends.
//
// What it offers and what it does not (read from its bundled server, version 0.2.x):
// - Who is signed in comes from its config file (`M365_AGENTS_PLAYGROUND_CONFIG_PATH`): one current
//   user with a personal chat, other users who share its group chat and team. A personal chat has its
//   current user as only member, and it refuses a message or card action `from` anyone not in the chat.
// - Its connector stores and streams what the bot posts (201 with the new id) and replaces (PUT); it
//   answers DELETE with an error ("not implemented") and never throttles (no 429).

const require = createRequire(import.meta.url);

export interface PlaygroundUser {
  id: string;
  name: string;
  aadObjectId: string;
}

export interface PlaygroundMessage {
  messageId: string;
  conversationId: string;
  from: { id: string };
  text?: string;
  attachments: Array<{ contentType: string; content: Record<string, unknown> }>;
  /** createMessage, updateMessage (the bot replaced it through the connector), … */
  action: string;
}

/** One entry of the Playground's log panel (`WS /_ws/log/stream`). */
export interface PlaygroundLog {
  type?: string;
  level?: string;
  displayText?: string;
  conversationId?: string;
  [key: string]: unknown;
}

export interface PlaygroundAnswer {
  status: number;
  body: unknown;
}

export interface Playground {
  url: string;
  config: {
    currentUser: PlaygroundUser;
    users: PlaygroundUser[];
    personalChat: { id: string };
  };
  /** Every message frame of the conversation stream the UI renders from, in order. */
  messages: PlaygroundMessage[];
  /** Every log panel entry, in order. */
  logs: PlaygroundLog[];
  /** The newest version of each message of a chat that has a card, by message id (frames from `since`). */
  cards(conversationId: string, since?: number): Map<string, PlaygroundMessage>;
  /** The texts the bot wrote into a chat, in order (frames from `since`). */
  botTexts(conversationId: string, since?: number): string[];
  install(conversationId: string): Promise<void>;
  say(conversationId: string, text: string, from?: string): Promise<void>;
  /** Presses an Action.Execute button of a card, as the UI does; answers what the Playground answered. */
  execute(
    conversationId: string,
    replyToId: string,
    verb: string,
    data: Record<string, unknown>,
    from?: string,
  ): Promise<PlaygroundAnswer>;
  close(): Promise<void>;
}

function userYaml(u: PlaygroundUser, indent: string): string {
  const [given, ...rest] = u.name.split(' ');
  const mail = `${u.id.replace(/[^a-z0-9]/gi, '')}@example.com`;
  return [
    `id: ${JSON.stringify(u.id)}`,
    `name: ${JSON.stringify(u.name)}`,
    `userPrincipleName: ${mail}`,
    `aadObjectId: ${JSON.stringify(u.aadObjectId)}`,
    `givenName: ${JSON.stringify(given ?? u.name)}`,
    `surname: ${JSON.stringify(rest.join(' ') || u.name)}`,
    `email: ${mail}`,
  ].join(`\n${indent}`);
}

/** Its schema wants at least five other users; these fill the list up to that. */
const EXTRAS: PlaygroundUser[] = [
  'Megan Bowen',
  'Adele Vance',
  'Isaiah Langer',
  'Patti Fernandez',
  'Lynne Robbins',
].map((name, i) => ({
  id: `user-extra-${i + 1}`,
  name,
  aadObjectId: `00000000-0000-0000-0000-00000000002${i + 1}`,
}));

/** The Playground's config file (its own schema, version 0.1.1), with the people a test needs. */
function configYaml(currentUser: PlaygroundUser, people: PlaygroundUser[]): string {
  const users = [...people, ...EXTRAS.slice(0, Math.max(0, 5 - people.length))];
  return `version: "0.1.1"
tenantId: 00000000-0000-0000-0000-0000000000001
bot:
  id: 00000000-0000-0000-0000-00000000000011
  name: Switchboard
currentUser:
  ${userYaml(currentUser, '  ')}
users:
${users.map((u) => `  - ${userYaml(u, '    ')}`).join('\n')}
personalChat:
  id: personal-chat-${currentUser.id}
groupChat:
  id: group-chat-1
  name: Group Chat
team:
  id: team-id
  name: My Team
  aadGroupId: 00000000-0000-0000-0000-000000000031
  channels:
    - id: channel-announcements-id
      name: Announcements
`;
}

export async function startPlayground(
  botEndpoint: string,
  people: { currentUser: PlaygroundUser; users: PlaygroundUser[] },
): Promise<Playground> {
  const cli = path.join(
    path.dirname(require.resolve('@microsoft/m365agentsplayground/package.json')),
    'cli.js',
  );
  // Its config file and its log file live in a directory of their own, not in the repository.
  const dir = await mkdtemp(path.join(tmpdir(), 'switchboard-playground-'));
  const configPath = path.join(dir, '.m365agentsplayground.yml');
  const logFile = path.join(dir, 'playground.log');
  await writeFile(configPath, configYaml(people.currentUser, people.users));
  const child: ChildProcess = spawn(
    process.execPath,
    [cli, '-e', botEndpoint, '-c', 'msteams', '-p', '0', '--disable-telemetry'],
    {
      cwd: dir,
      env: {
        ...process.env,
        TEAMSAPPTESTER_BROWSER: 'none',
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath,
        TEAMSAPPTESTER_LOGFILE: logFile,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  // It prints "Listening" before it reads its config, and reports a bad config only in its log file.
  const exited = new Promise<never>((_resolve, reject) => {
    child.once('exit', (code) => {
      void readFile(logFile, 'utf8')
        .catch(() => '')
        .then((log) => reject(new Error(`Agents Playground exited with ${code}: ${output}\n${log}`)));
    });
  });
  exited.catch(() => {});
  const port = await Promise.race([
    exited,
    new Promise<number>((resolve) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const m = /Listening on (\d+)/.exec(output);
        if (m) resolve(Number(m[1]));
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
    }),
  ]);
  const url = `http://localhost:${port}`;

  const messages: PlaygroundMessage[] = [];
  const logs: PlaygroundLog[] = [];
  const conversationWs = new WebSocket(`ws://localhost:${port}/_ws_conversation/v1/conversations/stream`);
  conversationWs.on('message', (raw) => {
    const frame = JSON.parse(String(raw)) as {
      action?: string;
      actionConversationId?: string;
      message?: Omit<PlaygroundMessage, 'conversationId' | 'action'>;
    };
    if (frame.message && frame.actionConversationId && frame.action) {
      messages.push({
        ...frame.message,
        attachments: frame.message.attachments ?? [],
        conversationId: frame.actionConversationId,
        action: frame.action,
      });
    }
  });
  const logWs = new WebSocket(`ws://localhost:${port}/_ws/log/stream`);
  logWs.on('message', (raw) => {
    const frame = JSON.parse(String(raw)) as { log?: PlaygroundLog };
    if (frame.log) logs.push(frame.log);
  });
  await Promise.race([
    exited,
    Promise.all(
      [conversationWs, logWs].map(
        (ws) =>
          new Promise<void>((resolve, reject) => {
            ws.once('open', () => resolve());
            ws.once('error', reject);
          }),
      ),
    ),
  ]);
  // The UI's first call: it waits for the bot's endpoint to answer and returns the config in use.
  const config = (
    (await Promise.race([exited, fetch(`${url}/_internal/v1/config`).then((r) => r.json())])) as {
      config: Playground['config'];
    }
  ).config;

  async function post(pathname: string, body?: unknown): Promise<PlaygroundAnswer> {
    const res = await fetch(`${url}${pathname}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? (JSON.parse(text) as unknown) : undefined;
    } catch {
      // Not JSON: keep the text.
    }
    return { status: res.status, body: parsed };
  }

  async function mustPost(pathname: string, body?: unknown): Promise<void> {
    const res = await post(pathname, body);
    if (res.status >= 300)
      throw new Error(`Playground ${pathname} answered ${res.status}: ${JSON.stringify(res.body)}`);
  }

  function cards(conversationId: string, since = 0): Map<string, PlaygroundMessage> {
    const latest = new Map<string, PlaygroundMessage>();
    for (const m of messages.slice(since)) {
      if (m.conversationId !== conversationId) continue;
      if (m.attachments.length > 0 || latest.has(m.messageId)) latest.set(m.messageId, m);
    }
    return latest;
  }

  return {
    url,
    config,
    messages,
    logs,
    cards,
    botTexts: (conversationId, since = 0) =>
      messages
        .slice(since)
        .filter(
          (m) =>
            m.conversationId === conversationId &&
            m.action === 'createMessage' &&
            m.from.id !== config.currentUser.id &&
            typeof m.text === 'string',
        )
        .map((m) => m.text!),
    install: (conversationId) => mustPost(`/_debug/conversation/${conversationId}/installation`),
    say: (conversationId, text, from = config.currentUser.id) =>
      mustPost(`/_conversation/v1/conversations/${conversationId}/messages`, {
        from: { id: from },
        text,
        textFormat: 'plain',
      }),
    execute: (conversationId, replyToId, verb, data, from = config.currentUser.id) =>
      post('/_conversation/v1/invoke', {
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
        from: { id: from },
        conversation: { id: conversationId },
        replyToId,
      }),
    close: async () => {
      conversationWs.close();
      logWs.close();
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill();
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
