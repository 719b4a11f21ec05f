// Builds the browser code into tab/dist: the embeddable chat widget (two IIFE bundles, lazily
// chained) and the demo page. Prints gzip sizes and exits 1 when a bundle is over its budget,
// so `npm start`/CI cannot ship a widget that makes customer pages heavy.
//
// Adding an app (the Teams agent tab): put an index.html in tab/agent/ — `apps` below builds it
// with React into tab/dist/tab/ (served at /tab/).
import { build } from 'vite';
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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
const apps = [{ name: 'agent', out: 'tab', base: '/tab/' }];

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

async function buildApp({ name, out, base }) {
  const root = join(tab, name);
  const { default: react } = await import('@vitejs/plugin-react');
  await build({
    root,
    base,
    configFile: existsSync(join(root, 'vite.config.ts')) ? join(root, 'vite.config.ts') : false,
    logLevel: 'warn',
    plugins: [react()],
    build: { outDir: join(dist, out), emptyOutDir: true },
  });
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
console.log(`built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
if (failed) {
  console.error('widget bundle over its gzip budget');
  process.exit(1);
}

function fmt(bytes) {
  return `${(bytes / KB).toFixed(1)} KB`.padStart(9);
}
