import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { Json } from '../api/support/clients.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tsx = path.join(root, 'node_modules/.bin/tsx');

export interface PrivacyRun {
  code: number | null;
  stdout: string;
  stderr: string;
  json: Json;
}

/**
 * `npm run --silent privacy -- <args>` as an administrator runs it: through tsx, as npm does, or
 * through npm itself (`viaNpm`), to see what npm passes on.
 */
export function privacy(args: string[], env: Record<string, string>, viaNpm = false): Promise<PrivacyRun> {
  return new Promise((resolve, reject) => {
    const options = { cwd: root, env: { ...process.env, ...env } };
    const child = viaNpm
      ? spawn('npm', ['run', '--silent', 'privacy', '--', ...args], options)
      : spawn(tsx, ['services/privacy/cli.ts', ...args], options);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const lines = stdout.trim() === '' ? [] : stdout.trim().split('\n');
      // One JSON object on stdout, or nothing: logs go to stderr.
      expect(lines.length).toBeLessThanOrEqual(1);
      resolve({ code, stdout, stderr, json: lines[0] ? (JSON.parse(lines[0]) as Json) : null });
    });
  });
}

/** Every datafile of the embedded store in `dir`, as one text. */
export async function allDatafiles(dir: string): Promise<string> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.db'));
  return (await Promise.all(names.map((n) => readFile(path.join(dir, n), 'utf8')))).join('\n');
}
