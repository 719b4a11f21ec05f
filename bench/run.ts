import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { limitHeapGrowth } from '../services/heap-growth.js';
import { formatTable, type BenchRow } from './bench-row.js';

// `npm run bench`: runs every `bench/*.bench.ts` (each exports `run(): Promise<BenchRow[]>`), prints
// one markdown table on stdout and writes it to bench/results/latest.md for the README to quote.
// The servers the benches start run in this process, tuned as `npm start` tunes its own.

limitHeapGrowth();

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);

const files = (await readdir(here))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const rows: BenchRow[] = [];
// A benchmark that fails (a missing browser, a port in use) must not take the others' figures of a
// long run with it: it is named under the table and the run exits non-zero.
const failed: string[] = [];
for (const file of files) {
  process.stderr.write(`running ${file} …\n`);
  try {
    const mod = (await import(pathToFileURL(path.join(here, file)).href)) as {
      run?: () => Promise<BenchRow[]>;
    };
    if (typeof mod.run !== 'function') {
      process.stderr.write(`  ${file} exports no run(); skipped\n`);
      continue;
    }
    rows.push(...(await mod.run()));
  } catch (err) {
    process.stderr.write(
      `  ${file} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    failed.push(`${file}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
}

const table = formatTable(rows) + failed.map((f) => `\n\nFailed, no figures: ${f}`).join('');
const header = `Measured ${new Date().toISOString()} on ${process.platform}/${process.arch}, Node ${process.version}.\n\n`;
await mkdir(path.join(here, 'results'), { recursive: true });
await writeFile(path.join(here, 'results', 'latest.md'), header + table + '\n');
process.stdout.write(table + '\n');
// A failed benchmark may have left its servers listening; they must not keep the run alive.
if (failed.length > 0) process.exit(1);
