import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import { runStoreTool, type ToolRun } from '../support/store-tool.js';

export type PrivacyRun = ToolRun;

/** `npm run --silent privacy -- <args>`, through tsx as npm runs it, or through npm itself (`viaNpm`). */
export async function privacy(
  args: string[],
  env: Record<string, string>,
  viaNpm = false,
): Promise<PrivacyRun> {
  const run = await runStoreTool('services/privacy/cli.ts', args, env, viaNpm ? 'privacy' : undefined);
  // One JSON object on stdout, or nothing: logs go to stderr.
  expect(run.stdout.trim() === '' ? 0 : run.stdout.trim().split('\n').length).toBeLessThanOrEqual(1);
  return run;
}

/** Every datafile of the embedded store in `dir`, as one text. */
export async function allDatafiles(dir: string): Promise<string> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.db'));
  return (await Promise.all(names.map((n) => readFile(path.join(dir, n), 'utf8')))).join('\n');
}
