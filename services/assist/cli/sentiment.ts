// `npm run --silent sentiment`: one text per stdin line in, one JSON line per text out,
// e.g. {"level":"slightly negative","score":-0.31}. stdout carries results only, so it composes with
// pipes; it streams with back-pressure and keeps at most MAX_LINE_CHARS of a line, so input size is
// bounded by time, not memory. A longer line is scored on its first MAX_LINE_CHARS characters, its
// result marked "truncated":true, and the rest of it is read past.

import { roundScore } from '../sentiment/levels.js';
import { scoreSentiment } from '../sentiment/scorer.js';

/** Far past any chat message (the bot takes 100,000 characters of text at most). */
const MAX_LINE_CHARS = 100_000;
const FLUSH_BYTES = 64 * 1024;

const USAGE =
  'usage: npm run --silent sentiment < texts.txt\n' +
  '  Reads one text per line on stdin and writes one JSON line per text on stdout:\n' +
  '  {"level":"slightly negative","score":-0.31}, with "truncated":true for a line scored on its\n' +
  `  first ${MAX_LINE_CHARS.toLocaleString('en-US')} characters.\n` +
  'options:\n' +
  '  -h, --help  print this and exit\n';

// It takes no options: anything else is a mistake, said on stderr (stdout carries results only)
// rather than waiting on stdin for input the caller did not mean to give.
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (args.length > 0) {
  process.stderr.write(`sentiment: unknown argument ${JSON.stringify(args[0])}\n${USAGE}`);
  process.exit(2);
}

let pending = '';
let flushScheduled = false;
/** The current line so far, at most MAX_LINE_CHARS of it. */
let line = '';
/** The current line is longer than MAX_LINE_CHARS: what follows, up to its end, is skipped. */
let truncated = false;

function flush(): void {
  flushScheduled = false;
  if (pending === '') return;
  const ok = process.stdout.write(pending);
  pending = '';
  if (!ok) {
    process.stdin.pause();
    process.stdout.once('drain', () => process.stdin.resume());
  }
}

function score(text: string, cut: boolean): void {
  // A line ended by CRLF is the text without its CR, as readline gave it.
  const { level, score } = scoreSentiment(text.endsWith('\r') ? text.slice(0, -1) : text);
  pending += `{"level":"${level}","score":${roundScore(score)}${cut ? ',"truncated":true' : ''}}\n`;
  // Interactive use sees each result at once; a big file is written in 64 KB slices.
  if (pending.length >= FLUSH_BYTES) flush();
  else if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flush);
  }
}

process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  let start = 0;
  for (;;) {
    const newline = chunk.indexOf('\n', start);
    const end = newline === -1 ? chunk.length : newline;
    if (!truncated) {
      const room = MAX_LINE_CHARS - line.length;
      truncated = end - start > room;
      line += chunk.slice(start, truncated ? start + room : end);
    }
    if (newline === -1) return;
    score(line, truncated);
    line = '';
    truncated = false;
    start = newline + 1;
  }
});

process.stdin.on('end', () => {
  if (line !== '' || truncated) score(line, truncated);
  flush();
});

process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  // A closed pipe (`… | head`) is a normal way to stop reading us.
  if (err.code === 'EPIPE') process.exit(0);
  process.stderr.write(`sentiment: ${err.message}\n`);
  process.exit(1);
});
