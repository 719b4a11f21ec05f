import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

async function simulate(args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run('npm', ['run', '--silent', 'simulate', '--', ...args], {
    cwd: process.cwd(),
    // A hang guard: under load, npm + tsx start-up alone can take tens of seconds.
    timeout: 240_000,
  });
  const lines = stdout.trim().split('\n');
  expect(lines).toHaveLength(1); // one JSON object, nothing else on stdout
  return JSON.parse(lines[0]!) as Record<string, unknown>;
}

const SHORT = [
  '--arrivals-per-hour',
  '360',
  '--handle-seconds',
  '240',
  '--agents',
  '29',
  '--answer-within',
  '20',
  '--hours',
  '0.5',
  '--seed',
  '7',
];

describe('npm run simulate', () => {
  it('prints one JSON object with the service figures beside the Erlang C prediction, the same for the same seed', async () => {
    const [a, b] = await Promise.all([simulate(SHORT), simulate(SHORT)]);
    for (const key of [
      'serviceLevel',
      'asaSeconds',
      'abandonRate',
      'occupancy',
      'offered',
      'answered',
      'decisionsPerSecond',
      'p99DecisionMs',
      'erlangC',
    ]) {
      expect(a).toHaveProperty(key);
    }
    expect(a.offered).toBeGreaterThan(120); // ~180 expected in half an hour
    expect(a.answered).toBe(a.offered); // no abandonment unless asked
    expect(a.abandonRate).toBe(0);
    expect(a.serviceLevel).toBeGreaterThan(0);
    expect(a.serviceLevel).toBeLessThanOrEqual(1);
    // Erlang C for 24 Erlangs on 29 agents, 20 s: P(wait) 24.2 %, SL 84.0 %, ASA 11.6 s.
    expect(a.erlangC).toMatchObject({
      serviceLevel: 0.8403,
      asaSeconds: 11.63,
      occupancy: 0.8276,
      agents: 29,
      trafficErlangs: 24,
    });
    const pick = (r: Record<string, unknown>) => [
      r.serviceLevel,
      r.asaSeconds,
      r.occupancy,
      r.offered,
      r.answered,
    ];
    expect(pick(b)).toEqual(pick(a));
  }, 300_000);

  it('counts customers who leave after --abandon-after seconds when agents are too few', async () => {
    const r = await simulate([
      '--arrivals-per-hour',
      '120',
      '--handle-seconds',
      '300',
      '--agents',
      '3',
      '--answer-within',
      '20',
      '--hours',
      '1',
      '--seed',
      '3',
      '--abandon-after',
      '60',
    ]);
    expect(r.abandonRate).toBeGreaterThan(0.1);
    expect(Number(r.answered) + Math.round(Number(r.abandonRate) * Number(r.offered))).toBe(r.offered);
  }, 300_000);

  it('rejects a malformed option with exit code 2 and a message on stderr', async () => {
    await expect(
      run('npm', ['run', '--silent', 'simulate', '--', '--agents', 'many'], { cwd: process.cwd() }),
    ).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--agents must be a number'),
    });
  }, 120_000);

  it('answers --help with its usage on stdout and exit code 0', async () => {
    const { stdout } = await run('npm', ['run', '--silent', 'simulate', '--', '--help'], {
      cwd: process.cwd(),
    });
    expect(stdout).toMatch(/^usage: simulate --arrivals-per-hour N/);
  }, 120_000);
});
