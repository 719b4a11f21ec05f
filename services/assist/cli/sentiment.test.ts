import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { roundScore } from '../sentiment/levels.js';
import { scoreSentiment } from '../sentiment/scorer.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));

function run(input: string): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, ['services/assist/cli/sentiment.ts'], { cwd: root });
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
});
