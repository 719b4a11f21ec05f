import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONGO_URI_OPTIONS } from '../test/store/congo.js';

export interface CongoProcess {
  uri(db: string): string;
  /** User + system CPU seconds CongoDB's process has used so far. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/**
 * CongoDB in a process of its own (bench/congo-child.ts), as a database server runs: its work is
 * not on the server's event loop, its data not in the server's heap, and its CPU is counted apart.
 */
export async function startCongoProcess(): Promise<CongoProcess> {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'congo-child.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const host = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(String(d).trim()));
    child.once('exit', (code) => reject(new Error(`CongoDB's process exited with ${code}`)));
  });
  return {
    uri: (db) => `${host}/${db}?${CONGO_URI_OPTIONS}`,
    cpuSeconds: () => processCpuSeconds(child.pid!),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}

/** User + system CPU of another process, from /proc (Linux; clock ticks of 1/100 s). */
export function processCpuSeconds(pid: number): number {
  // The command name (field 2) may hold spaces, so count fields after its closing parenthesis.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
