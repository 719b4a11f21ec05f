/**
 * The built web assets (tab/dist) the browser suites serve. `npm test` builds them once before the
 * run (pretest); a suite started on its own builds them here when the sources are newer. Never
 * rebuilt while the run goes on: a rebuild empties tab/dist/tab under the suites serving it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCES = ['tab/agent', 'tab/widget', 'tab/demo', 'tab/build.mjs'];
const BUILT = ['tab/dist/tab/index.html', 'tab/dist/widget/loader.js', 'tab/dist/widget/chat.js'];

function newest(p: string): number {
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(p).reduce((m, name) => Math.max(m, newest(path.join(p, name))), 0);
}

/** Builds tab/dist when any of it is missing or older than its sources. */
export function ensureWebBuilt(): void {
  const built = BUILT.map((f) => path.join(ROOT, f));
  const sources = SOURCES.map((f) => path.join(ROOT, f)).filter((p) => existsSync(p));
  if (built.every((f) => existsSync(f))) {
    const oldestBuilt = Math.min(...built.map((f) => statSync(f).mtimeMs));
    if (oldestBuilt >= Math.max(...sources.map(newest))) return;
  }
  buildWeb();
}

/** Builds the widget, demo and tab as `npm start` does; `outDir` keeps a suite's build private. */
export function buildWeb(outDir?: string): void {
  const args = outDir ? ['tab/build.mjs', `--out=${outDir}`] : ['tab/build.mjs'];
  execFileSync(process.execPath, args, { cwd: ROOT, stdio: 'pipe' });
}
