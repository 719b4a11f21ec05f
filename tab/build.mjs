// Builds the browser code into tab/dist: the embeddable chat widget (two IIFE bundles, lazily
// chained) and the demo page. Prints gzip sizes and exits 1 when a bundle is over its budget,
// so `npm start`/CI cannot ship a widget that makes customer pages heavy.
//
// The Teams tab (tab/agent/, React + Fluent UI) is built with Vite into tab/dist/tab/ (served at
// /tab/). Its budget is on the JavaScript a first load needs (the entry and what it imports
// statically); lazily loaded chunks (the supervisor views and their charts) are printed apart.
// `--measure` then loads the built tab in headless Chromium and prints its first meaningful render
// (bench/tab-render.bench.ts, the same as `npm run bench -- tab-render`).
import { build } from 'vite';
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Always the production build of React and of the JSX runtime: a build started under a test
// runner (NODE_ENV=test: the end-to-end suites build before they serve) would otherwise get the
// development one, 45 % more JavaScript, and leave it in tab/dist for whatever serves it next. This
// script is its own process (`npm run build:web`, the suites' `node tab/build.mjs`).
process.env.NODE_ENV = 'production';

const tab = dirname(fileURLToPath(import.meta.url));
// `--out=DIR` builds elsewhere (tests that must not race the server's tab/dist).
const outArg = process.argv.find((a) => a.startsWith('--out='));
const dist = outArg ? resolve(outArg.slice('--out='.length)) : join(tab, 'dist');
const KB = 1024;

/** Widget bundles: IIFE so a plain <script> tag works on any host page. Budgets are gzip bytes. */
const libs = [
  { entry: 'widget/loader/loader.ts', out: 'widget/loader.js', global: 'SwitchboardLoader', budget: 10 * KB },
  { entry: 'widget/chat/chat.ts', out: 'widget/chat.js', global: 'SwitchboardChat', budget: 150 * KB },
];

/**
 * Single-page apps: built when their source folder has an index.html, into tab/dist/<out>/, which
 * the server serves at `base` (services/http/server.ts serves tab/dist/tab at /tab/).
 */
const apps = [{ name: 'agent', out: 'tab', base: '/tab/', initialBudget: 400 * KB }];

async function buildLib({ entry, out, global }, root) {
  await build({
    configFile: false,
    logLevel: 'warn',
    publicDir: false,
    build: {
      outDir: join(root, dirname(out)),
      emptyOutDir: false,
      minify: true,
      sourcemap: false,
      // Customer browsers are evergreen but not always the newest; ES2019 keeps old Safari happy.
      target: 'es2019',
      lib: {
        entry: join(tab, entry),
        name: global,
        formats: ['iife'],
        fileName: () => out.split('/').pop(),
      },
    },
  });
}

/**
 * The workspace is a lazy chunk (the sign-in screen does without it), but a signed-in agent or a
 * Teams host needs it at once: index.html's inline script preloads it (and what it imports beyond
 * the entry) then, from the list this puts in place of `__WORKSPACE_CHUNKS__`. Without the preload
 * its download waits until the entry has run, one more round trip before the first meaningful render.
 */
function workspacePreload(base) {
  return {
    name: 'switchboard-workspace-preload',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const chunks = Object.values(ctx.bundle ?? {}).filter((c) => c.type === 'chunk');
        const entry = chunks.find((c) => c.isEntry);
        const workspace = chunks.find((c) => c.facadeModuleId?.endsWith('/src/Workspace.tsx'));
        if (!entry || !workspace)
          throw new Error('workspace preload: no entry or Workspace chunk in the build');
        const loaded = new Set([entry.fileName, ...entry.imports]);
        const files = [workspace.fileName, ...workspace.imports].filter((f) => !loaded.has(f));
        return html.replace('__WORKSPACE_CHUNKS__', JSON.stringify(files.map((f) => base + f)));
      },
    },
  };
}

async function buildApp({ name, out, base }) {
  const root = join(tab, name);
  const { default: react } = await import('@vitejs/plugin-react');
  await build({
    root,
    base,
    configFile: existsSync(join(root, 'vite.config.ts')) ? join(root, 'vite.config.ts') : false,
    logLevel: 'warn',
    plugins: [react(), workspacePreload(base)],
    publicDir: false,
    build: {
      outDir: join(dist, out),
      emptyOutDir: true,
      manifest: true,
      // TAB_NO_MINIFY=1: readable names in a CPU profile of the tab.
      minify: process.env.TAB_NO_MINIFY ? false : undefined,
      sourcemap: false,
      // Teams desktop and web run current Chromium/Edge; mobile WebViews are evergreen too.
      target: 'es2022',
      // The budget below is the real gate; Vite's per-chunk warning would only add noise.
      chunkSizeWarningLimit: 2048,
    },
  });
}

/**
 * Sizes of an app build from Vite's manifest: `initial` is every JS file a first load fetches (the
 * entry and its static imports, recursively); `lazy` are the chunks loaded on demand.
 */
async function appSizes({ out }) {
  const root = join(dist, out);
  const manifest = JSON.parse(await readFile(join(root, '.vite', 'manifest.json'), 'utf8'));
  const initial = new Set();
  const visit = (key) => {
    const chunk = manifest[key];
    if (!chunk || initial.has(chunk.file)) return;
    initial.add(chunk.file);
    for (const dep of chunk.imports ?? []) visit(dep);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
  const lazy = new Map();
  for (const [key, chunk] of Object.entries(manifest)) {
    if (!chunk.file.endsWith('.js') || initial.has(chunk.file)) continue;
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(key)?.[1];
    lazy.set(chunk.file, pkg ?? chunk.name ?? key);
  }
  const size = async (file) => ({
    file,
    raw: (await stat(join(root, file))).size,
    gz: await gzipSize(join(root, file)),
  });
  return {
    initial: await Promise.all([...initial].map(size)),
    lazy: await Promise.all([...lazy.keys()].map(async (f) => ({ ...(await size(f)), name: lazy.get(f) }))),
  };
}

async function moveInto(from, to) {
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const src = join(from, entry.name);
    const dest = join(to, entry.name);
    if (entry.isDirectory()) {
      await mkdir(dest, { recursive: true });
      await moveInto(src, dest);
    } else {
      await rename(src, dest);
    }
  }
}

async function gzipSize(file) {
  return gzipSync(await readFile(file), { level: 9 }).length;
}

const started = performance.now();
// Build into a staging folder and move files into place one atomic rename at a time, so a server
// running meanwhile never serves a missing or half-written bundle.
await mkdir(dist, { recursive: true });
const staging = await mkdtemp(join(dist, '.staging-'));
try {
  for (const lib of libs) await buildLib(lib, staging);
  await cp(join(tab, 'demo'), join(staging, 'demo'), { recursive: true });
  await moveInto(staging, dist);
} finally {
  await rm(staging, { recursive: true, force: true });
}
for (const app of apps) if (existsSync(join(tab, app.name, 'index.html'))) await buildApp(app);

let failed = false;
console.log('file                          raw      gzip     budget');
for (const lib of libs) {
  const file = join(dist, lib.out);
  const raw = (await stat(file)).size;
  const gz = await gzipSize(file);
  const over = gz > lib.budget;
  failed ||= over;
  console.log(`${lib.out.padEnd(28)}${fmt(raw)}${fmt(gz)}${fmt(lib.budget)}${over ? '  OVER BUDGET' : ''}`);
}
for (const app of apps) {
  if (!existsSync(join(dist, app.out, '.vite', 'manifest.json'))) continue;
  const { initial, lazy } = await appSizes(app);
  const sum = (list, k) => list.reduce((n, x) => n + x[k], 0);
  const over = sum(initial, 'gz') > app.initialBudget;
  failed ||= over;
  console.log(
    `${`${app.out}/ initial JS (${initial.length} files)`.padEnd(28)}${fmt(sum(initial, 'raw'))}${fmt(sum(initial, 'gz'))}${fmt(app.initialBudget)}${over ? '  OVER BUDGET' : ''}`,
  );
  for (const c of lazy.sort((a, b) => b.gz - a.gz)) {
    console.log(`${`  lazy ${c.name}`.slice(0, 27).padEnd(28)}${fmt(c.raw)}${fmt(c.gz)}`);
  }
}
console.log(`built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
if (failed) {
  console.error('a bundle is over its gzip budget');
  process.exit(1);
}
if (process.argv.includes('--measure') && !outArg) {
  const { spawnSync } = await import('node:child_process');
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', 'tab-render'], {
    cwd: join(tab, '..'),
    stdio: 'inherit',
  });
  process.exit(run.status ?? 1);
}

function fmt(bytes) {
  return `${(bytes / KB).toFixed(1)} KB`.padStart(9);
}
