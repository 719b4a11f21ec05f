import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { roundScore } from '../sentiment/levels.js';
import { scoreSentiment } from '../sentiment/scorer.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));

function run(
  input: string,
  args: string[] = [],
): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, ['services/assist/cli/sentiment.ts', ...args], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code }));
    child.stdin.end(input);
  });
}

describe('sentiment CLI', () => {
  it('writes one JSON line per input line, in the contract shape, with the product scorer', async () => {
    const texts = [
      'Still not working after the restart.',
      'How do I change my wifi password?',
      'Thanks, all good!',
    ];
    const { stdout, code } = await run(texts.join('\n') + '\n');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    lines.forEach((line, i) => {
      expect(line).toMatch(/^\{"level":"[a-z ]+","score":-?\d+(\.\d{1,2})?\}$/);
      const expected = scoreSentiment(texts[i]!);
      expect(JSON.parse(line)).toEqual({ level: expected.level, score: roundScore(expected.score) });
    });
  });

  it('streams a large input, in order, without a line lost', async () => {
    const n = 20_000;
    const input = Array.from({ length: n }, (_, i) => (i % 2 ? 'I love it' : 'I hate it')).join('\n');
    const { stdout, code } = await run(input);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(n);
    expect(JSON.parse(lines[0]!).score).toBeLessThan(0);
    expect(JSON.parse(lines[n - 1]!).score).toBeGreaterThan(0);
  });

  it('scores a line over 100,000 characters on its first 100,000, says so, and goes on', async () => {
    const long = 'Thanks, all good! '.repeat(6000) + 'This is the worst, I hate it!!!';
    const { stdout, code } = await run(`${long}\nI hate it\n`);
    expect(code).toBe(0);
    const [first, second, ...rest] = stdout.trimEnd().split('\n');
    const head = scoreSentiment(long.slice(0, 100_000));
    expect(JSON.parse(first!)).toEqual({ level: head.level, score: roundScore(head.score), truncated: true });
    const tail = scoreSentiment('I hate it');
    expect(JSON.parse(second!)).toEqual({ level: tail.level, score: roundScore(tail.score) });
    expect(rest).toEqual([]);
  });

  it('prints its usage on stdout for --help and exits 0, scoring nothing', async () => {
    const { stdout, stderr, code } = await run('I love it\n', ['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: npm run --silent sentiment/);
    expect(stdout.split('\n').filter((l) => l.startsWith('{'))).toEqual([]);
    expect(stderr).toBe('');
  });

  it('refuses an unknown option with its usage on stderr and exit code 2', async () => {
    const { stdout, stderr, code } = await run('I love it\n', ['--bogus']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('unknown argument "--bogus"');
    expect(stderr).toContain('usage: npm run --silent sentiment');
  });

  it.skipIf(process.platform !== 'linux')(
    'keeps memory bounded on a line of 32 MB with no newline',
    async () => {
      // Run by node itself (not the tsx launcher) so that /proc/<pid> is the process reading stdin.
      const child = spawn(process.execPath, ['--import', 'tsx', 'services/assist/cli/sentiment.ts'], {
        cwd: root,
      });
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      const chunk = 'so bad '.repeat(10_000);
      for (let written = 0; written < 32e6; written += chunk.length) {
        if (!child.stdin.write(chunk)) await new Promise((resolve) => child.stdin.once('drain', resolve));
      }
      child.stdin.write('\nI love it\n');
      await expect.poll(() => stdout.split('\n').length, { timeout: 60_000 }).toBe(3);
      const peakKb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]);
      const exited = new Promise((resolve) => child.once('close', resolve));
      child.stdin.end();
      expect(await exited).toBe(0);
      // The runtime and the scorer's model take about 120 MB; the line read whole took over 1 GB.
      expect(peakKb / 1024).toBeLessThan(256);
      expect(JSON.parse(stdout.split('\n')[0]!)).toMatchObject({ truncated: true });
      expect(JSON.parse(stdout.split('\n')[1]!)).toMatchObject({
        level: expect.stringContaining('positive'),
      });
    },
    90_000,
  );
});
