import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRepositories, openEmbeddedStore } from '../../services/store/index.js';
import { systemDeps } from '../../services/domain/index.js';
import { callDirectLine } from '../bot/support/directline-http.js';
import { TEST_DIRECT_LINE_SECRET } from '../support/server.js';
import { exited, freePort, startServerProcess } from '../support/server-process.js';

// Every state change is written before it is acknowledged (docs/architecture.md). This kills the real server
// (`npm start`'s entry point) with SIGKILL while customers are sending, starts it again on the same
// data folder, and looks for every message the server had acknowledged.

const dirs: string[] = [];
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function startServer(dataDir: string, port: number): Promise<ChildProcess> {
  const { child } = await startServerProcess(port, {
    DATA_DIR: dataDir,
    DIRECT_LINE_SECRET: TEST_DIRECT_LINE_SECRET,
  });
  children.push(child);
  return child;
}

const dl = (port: number, method: string, p: string, token?: string, body?: unknown) =>
  callDirectLine(`http://127.0.0.1:${port}`, method, p, token, body);

describe('server killed with SIGKILL', () => {
  it('loses no acknowledged customer message', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'switchboard-kill-'));
    dirs.push(dataDir);
    const port = await freePort();
    let server = await startServer(dataDir, port);

    // Three customers chat at once; each acknowledged send is remembered with its activity id.
    const customers = await Promise.all(
      [1, 2, 3].map(async (n) => {
        const gen = await dl(port, 'POST', '/tokens/generate', undefined, {
          user: { id: `dl_killtest${n}` },
        });
        const token = gen.body.token as string;
        const started = await dl(port, 'POST', '/conversations', token);
        expect(started.status).toBe(201);
        return {
          n,
          token,
          conversationId: started.body.conversationId as string,
          acked: new Map<string, string>(),
        };
      }),
    );

    let stop = false;
    const senders = customers.map(async (c) => {
      for (let i = 0; !stop; i++) {
        const text = `customer ${c.n} message ${i}`;
        try {
          const res = await dl(port, 'POST', `/conversations/${c.conversationId}/activities`, c.token, {
            type: 'message',
            from: { id: `dl_killtest${c.n}` },
            text,
          });
          if (res.status === 200) c.acked.set(res.body.id as string, text);
        } catch {
          return; // the server is gone: whatever was not acknowledged may be lost
        }
      }
    });
    // Kill it mid-stream, once the customers have had a fair number of messages acknowledged.
    const acked = () => customers.reduce((n, c) => n + c.acked.size, 0);
    for (let polls = 0; acked() <= 10 && polls < 6000; polls++) await new Promise((r) => setTimeout(r, 10));
    server.kill('SIGKILL');
    stop = true;
    await Promise.all(senders);
    await exited(server);
    expect(acked()).toBeGreaterThan(10);

    // Same data folder, new process: the channel still has every acknowledged activity, in order.
    server = await startServer(dataDir, port);
    for (const c of customers) {
      const got = await dl(port, 'GET', `/conversations/${c.conversationId}/activities?watermark=0`, c.token);
      expect(got.status).toBe(200);
      const activities = got.body.activities as Array<{ id: string; text?: string; from: { id: string } }>;
      const ids = new Set(activities.map((a) => a.id));
      for (const [id, text] of c.acked) {
        expect(ids.has(id), `acknowledged ${id} (${text}) is missing after the restart`).toBe(true);
      }
    }

    // And the conversation records (what agents read) hold every acknowledged customer message once
    // the restarted server has caught up with its channel. A graceful stop waits for the deliveries
    // the channel has started; should the stop come before the channel even found what it owes the
    // bot, the next start finds it again — so stop, look, and start again until nothing is missing.
    let missing: string[] = [];
    for (let attempt = 0; attempt < 10; attempt++) {
      server.kill('SIGTERM');
      await exited(server);
      missing = await missingFromConversations(dataDir, customers);
      if (missing.length === 0) break;
      server = await startServer(dataDir, port);
    }
    expect(missing, 'acknowledged messages that never reached the conversation').toEqual([]);
  }, 600_000);
});

/** The acknowledged customer texts the conversation records do not hold (the server must be stopped). */
async function missingFromConversations(
  dataDir: string,
  customers: Array<{ acked: Map<string, string> }>,
): Promise<string[]> {
  const store = await openEmbeddedStore(dataDir);
  try {
    const repos = await createRepositories(store, systemDeps);
    const conversations = await repos.conversations.find({}, { limit: 1000 });
    const messages = (await Promise.all(conversations.map((conv) => repos.messages.list(conv.id)))).flat();
    const customerTexts = new Set(messages.filter((m) => m.author === 'customer').map((m) => m.text));
    return customers.flatMap((c) => [...c.acked.values()].filter((text) => !customerTexts.has(text)));
  } finally {
    await store.close();
  }
}
