import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Json } from '../api/support/clients.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tsx = path.join(root, 'node_modules/.bin/tsx');

export interface ToolRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The one JSON object a command prints on stdout (its logs go to stderr); null for --help's usage. */
  json: Json;
}

/**
 * One of the administrators' store tools (`services/privacy/cli.ts`, `services/administration/cli.ts`)
 * as an administrator runs it: through tsx, as npm does, or through npm itself (`npmScript`), to see
 * what npm passes on.
 */
export function runStoreTool(
  script: string,
  args: string[],
  env: Record<string, string>,
  npmScript?: string,
): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const options = { cwd: root, env: { ...process.env, ...env } };
    const child = npmScript
      ? spawn('npm', ['run', '--silent', npmScript, '--', ...args], options)
      : spawn(tsx, [script, ...args], options);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const lines = stdout.trim() === '' ? [] : stdout.trim().split('\n');
      const json = lines.length === 1 && lines[0]!.startsWith('{') ? (JSON.parse(lines[0]!) as Json) : null;
      resolve({ code, stdout, stderr, json });
    });
  });
}
