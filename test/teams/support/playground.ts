import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import WebSocket from 'ws';

// Microsoft 365 Agents Playground (the local Teams emulator) as a child process, anonymous and
// without a browser, driven through the HTTP and WebSocket API its own web UI uses. It plays the Bot
// Connector at http://localhost:<port>/_connector for the bot's replies and proactive sends.

const require = createRequire(import.meta.url);

export interface PlaygroundMessage {
  messageId: string;
  conversationId: string;
  from: { id: string };
  text?: string;
  attachments: Array<{ contentType: string; content: Record<string, unknown> }>;
  action: string;
}

export interface Playground {
  url: string;
  config: {
    currentUser: { id: string; name: string; aadObjectId: string };
    personalChat: { id: string };
  };
  /** Every createMessage / updateMessage the UI would render, in order. */
  messages: PlaygroundMessage[];
  install(conversationId: string): Promise<void>;
  say(conversationId: string, text: string): Promise<void>;
  execute(
    conversationId: string,
    replyToId: string,
    verb: string,
    data: Record<string, unknown>,
  ): Promise<unknown>;
  close(): Promise<void>;
}

export async function startPlayground(botEndpoint: string): Promise<Playground> {
  const cli = path.join(
    path.dirname(require.resolve('@microsoft/m365agentsplayground/package.json')),
    'cli.js',
  );
  const child: ChildProcess = spawn(
    process.execPath,
    [cli, '-e', botEndpoint, '-c', 'msteams', '-p', '0', '--disable-telemetry'],
    { env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /Listening on (\d+)/.exec(output);
      if (m) resolve(Number(m[1]));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`Agents Playground exited with ${code}: ${output}`)));
  });
  const url = `http://localhost:${port}`;
  const config = (
    (await (await fetch(`${url}/_internal/v1/config`)).json()) as { config: Playground['config'] }
  ).config;

  const messages: PlaygroundMessage[] = [];
  const ws = new WebSocket(`ws://localhost:${port}/_ws_conversation/v1/conversations/stream`);
  ws.on('message', (raw) => {
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
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });

  async function post(pathname: string, body?: unknown): Promise<unknown> {
    const res = await fetch(`${url}${pathname}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`Playground ${pathname} answered ${res.status}: ${text}`);
    return text ? (JSON.parse(text) as unknown) : undefined;
  }

  return {
    url,
    config,
    messages,
    install: async (conversationId) => {
      await post(`/_debug/conversation/${conversationId}/installation`);
    },
    say: async (conversationId, text) => {
      await post(`/_conversation/v1/conversations/${conversationId}/messages`, {
        from: { id: config.currentUser.id },
        text,
        textFormat: 'plain',
      });
    },
    execute: (conversationId, replyToId, verb, data) =>
      post('/_conversation/v1/invoke', {
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
        from: { id: config.currentUser.id },
        conversation: { id: conversationId },
        replyToId,
      }),
    close: async () => {
      ws.close();
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill();
        await exited;
      }
    },
  };
}
