import { spawn } from 'node:child_process';
import { appendFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { testDeps } from './contract.js';
import { createRepositories, openEmbeddedStore } from '../../services/store/index.js';

const writerScript = fileURLToPath(new URL('./support/ack-writer.ts', import.meta.url));
const dirs: string[] = [];
const lineCount = async (file: string) => (await readFile(file, 'utf8')).split('\n').filter(Boolean).length;

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

interface Acked {
  conversationId: string;
  messages: Map<string, number>;
  events: number[];
  /** Documents written once, acknowledged. */
  items: string[];
}

/** Runs the writer until `acks` writes were acknowledged, then SIGKILLs it mid-stream. */
async function runAndKill(dataDir: string, acks: number, compactAfterLines?: number): Promise<Acked> {
  const args = compactAfterLines ? [String(compactAfterLines)] : [];
  const child = spawn(process.execPath, ['--import', 'tsx', writerScript, dataDir, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const acked: Acked = { conversationId: '', messages: new Map(), events: [], items: [] };
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let buffer = '';
  let count = 0;
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('exit', (_code, signal) => resolve(signal)),
  );
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const line of lines) {
      const [kind, a, b] = line.split(' ');
      if (kind === 'conversation') acked.conversationId = a!;
      else if (kind === 'message') acked.messages.set(a!, Number(b));
      else if (kind === 'event') acked.events.push(Number(a));
      else if (kind === 'item') acked.items.push(a!);
      if (++count === acks) child.kill('SIGKILL');
    }
  });
  const signal = await exited;
  if (signal !== 'SIGKILL') throw new Error(`writer ended without being killed (${signal}): ${stderr}`);
  return acked;
}

describe('embedded store after SIGKILL', () => {
  // Rewriting every 100 lines: the counters' and the items' datafiles are rewritten over and over
  // while writes go on beside them, so the kill lands before, during and after rewrites.
  it.each([
    { when: 'between datafile rewrites', compactAfterLines: undefined },
    { when: 'while datafiles are rewritten', compactAfterLines: 100 },
  ])(
    'keeps every acknowledged write and reopens cleanly, killed $when',
    async ({ compactAfterLines }) => {
      const dataDir = await mkdtemp(path.join(tmpdir(), 'switchboard-restart-'));
      dirs.push(dataDir);
      const acked = await runAndKill(dataDir, 1500, compactAfterLines);
      expect(acked.messages.size).toBeGreaterThan(100);
      expect(acked.events.length).toBeGreaterThan(100);

      const store = await openEmbeddedStore(dataDir);
      const repos = await createRepositories(store, testDeps());
      const messages = await repos.messages.list(acked.conversationId, { limit: 5000 });
      const stored = new Map(messages.map((m) => [m.id, m.seq]));
      for (const [id, seq] of acked.messages) expect(stored.get(id), `acknowledged message ${id}`).toBe(seq);
      // Sequence numbers stay unique and in order; at most the in-flight ones are missing at the end.
      const seqs = messages.map((m) => m.seq);
      expect(new Set(seqs).size).toBe(seqs.length);
      const events = await repos.events.readAfter(0, 5000);
      const eventSeqs = new Set(events.map((e) => e.seq));
      for (const seq of acked.events) expect(eventSeqs.has(seq), `acknowledged event ${seq}`).toBe(true);
      expect(acked.items.length).toBeGreaterThan(100);
      const items = new Set((await store.collection<{ id: string }>('items').find({})).map((i) => i.id));
      for (const id of acked.items) expect(items.has(id), `acknowledged item ${id}`).toBe(true);

      // The store keeps working where it left off: new numbers follow the old ones.
      const next = await repos.messages.append({
        conversationId: acked.conversationId,
        author: 'customer',
        text: 'after restart',
      });
      expect(next.message.seq).toBeGreaterThan(Math.max(...seqs));
      const nextEvent = await repos.events.append({
        type: 'conversation.bot_resolved',
        conversationId: acked.conversationId,
      });
      expect(nextEvent.seq).toBeGreaterThan(Math.max(...eventSeqs));
      await store.close();
      // Three lines per item were written: rewrites kept the file shorter.
      if (compactAfterLines)
        expect(await lineCount(path.join(dataDir, 'items.db'))).toBeLessThan(3 * acked.items.length);

      // Every datafile is whole: one JSON document per line.
      for (const file of (await readdir(dataDir)).filter((f) => f.endsWith('.db'))) {
        const text = await readFile(path.join(dataDir, file), 'utf8');
        for (const line of text.split('\n').filter(Boolean))
          expect(() => JSON.parse(line), `${file}: ${line}`).not.toThrow();
      }
      // The writer runs until 1,500 writes are acknowledged: on a loaded machine that takes a while.
    },
    180_000,
  );

  it('drops a torn last line (a write cut off mid-append was never acknowledged) and loads the rest', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'switchboard-torn-'));
    dirs.push(dataDir);
    let store = await openEmbeddedStore(dataDir);
    const things = store.collection<{ id: string; n: number }>('things');
    for (let i = 0; i < 3; i++) await things.insertOne({ id: `t${i}`, n: i });
    await store.close();
    await appendFile(path.join(dataDir, 'things.db'), '{"id":"t3","n":3,"_id":"ab');
    store = await openEmbeddedStore(dataDir);
    expect(
      (await store.collection<{ id: string }>('things').find({}, { sort: { id: 1 } })).map((t) => t.id),
    ).toEqual(['t0', 't1', 't2']);
    await store.close();
  });
});
