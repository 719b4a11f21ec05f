// `npm run --silent sentiment`: one text per stdin line in, one JSON line per text out,
// e.g. {"level":"slightly negative","score":-0.31}. stdout carries results only, so it composes with
// pipes; it streams with back-pressure, so input size is bounded by time, not memory.
import { createInterface } from 'node:readline';
import { roundScore } from '../sentiment/levels.js';
import { scoreSentiment } from '../sentiment/scorer.js';

const FLUSH_BYTES = 64 * 1024;

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
let pending = '';
let flushScheduled = false;

function flush(): void {
  flushScheduled = false;
  if (pending === '') return;
  const ok = process.stdout.write(pending);
  pending = '';
  if (!ok) {
    lines.pause();
    process.stdout.once('drain', () => lines.resume());
  }
}

lines.on('line', (text) => {
  const { level, score } = scoreSentiment(text);
  pending += `{"level":"${level}","score":${roundScore(score)}}\n`;
  // Interactive use sees each result at once; a big file is written in 64 KB slices.
  if (pending.length >= FLUSH_BYTES) flush();
  else if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flush);
  }
});

lines.on('close', flush);

process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  // A closed pipe (`… | head`) is a normal way to stop reading us.
  if (err.code === 'EPIPE') process.exit(0);
  process.stderr.write(`sentiment: ${err.message}\n`);
  process.exit(1);
});
