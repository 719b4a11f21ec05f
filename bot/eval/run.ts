// `npm run eval` (second part): the persona population through the real bot over the local Direct
// Line channel, reported beside the same population on the bot before it listened (data/baseline.json).
// Options: --json (the full results on stdout), --write FILE (save results and report, e.g. a new
// baseline), --only id,id. Logs go to stderr; the report goes to stdout.
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAppUnderTest } from './app.js';
import { runPersona, summarize, type PersonaReport, type PersonaResult } from './harness.js';
import { PERSONAS } from './personas.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? (args[i + 1] ?? '') : undefined;
};

function commit(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: here, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

async function readBaseline(): Promise<{ commit: string; report: PersonaReport } | null> {
  try {
    const text = await readFile(path.join(here, 'data', 'baseline.json'), 'utf8');
    return JSON.parse(text) as { commit: string; report: PersonaReport };
  } catch {
    return null; // no baseline recorded: the report stands alone
  }
}

const only = flag('--only')?.split(',');
const personas = only ? PERSONAS.filter((p) => only.includes(p.id)) : PERSONAS;
const app = await startAppUnderTest({ DIRECT_LINE_SECRET: 'persona-evaluation-secret-0123456789' });
const results: PersonaResult[] = [];
try {
  for (const p of personas) {
    const r = await runPersona(app, p);
    process.stderr.write(`${r.reached ? 'reached' : 'DEAD END'}  ${p.id} (${r.turns} turns)\n`);
    results.push(r);
  }
} finally {
  await app.close();
}
const report = summarize(results);

const write = flag('--write');
if (write) await writeFile(write, `${JSON.stringify({ commit: commit(), report, results }, null, 2)}\n`);

if (args.includes('--json')) {
  process.stdout.write(`${JSON.stringify({ report, results }, null, 2)}\n`);
} else {
  const baseline = await readBaseline();
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const rows: Array<[string, (r: PersonaReport) => string]> = [
    ['personas', (r) => String(r.personas)],
    ['goals reached', (r) => `${r.goalsReached}/${r.personas}`],
    ['bot resolution rate', (r) => pct(r.botResolutionRate)],
    ['escalation rate', (r) => pct(r.escalationRate)],
    ['mean turns to goal', (r) => String(r.meanTurnsToGoal ?? '-')],
    ['prompts repeated (>2 times)', (r) => String(r.promptsRepeated)],
    ['most repeats of one prompt', (r) => String(r.maxRepeats)],
    ['dead ends', (r) => String(r.deadEnds.length)],
    [
      'person-first to a queue in ≤4 turns',
      (r) => `${r.personFirstWithinFour.ok}/${r.personFirstWithinFour.of}`,
    ],
  ];
  const lines = [`persona evaluation: ${personas.length} scripted customers over Direct Line`];
  lines.push(`${'figure'.padEnd(38)}${'today'.padStart(14)}${'before'.padStart(14)}`);
  for (const [label, f] of rows) {
    lines.push(
      `${label.padEnd(38)}${f(report).padStart(14)}${(baseline ? f(baseline.report) : '-').padStart(14)}`,
    );
  }
  if (baseline) lines.push(`before = ${baseline.commit.slice(0, 12)} (bot/eval/data/baseline.json)`);
  if (report.deadEnds.length) lines.push(`dead ends today: ${report.deadEnds.join(', ')}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
if (report.deadEnds.length > 0 || report.maxRepeats > 2) process.exitCode = 1;
