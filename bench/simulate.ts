import { parseArgs } from 'node:util';
import { simulate, type HandleDistribution, type SimParams } from './routing-sim.js';

// `npm run --silent simulate -- --arrivals-per-hour 360 --handle-seconds 240 --agents 29
//   --answer-within 20 --hours 24 --seed 1 [--concurrent 1] [--abandon-after S]
//   [--handle-distribution exponential|constant|uniform]`
// Prints one JSON object on stdout; mistakes go to stderr with exit code 2.

const USAGE =
  'usage: simulate --arrivals-per-hour N --handle-seconds S --agents N --answer-within S --hours H --seed N ' +
  '[--concurrent N] [--abandon-after S] [--handle-distribution exponential|constant|uniform]';

function fail(message: string): never {
  process.stderr.write(`simulate: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function parse(argv: string[]): SimParams {
  // Help is an answer, on stdout, not a mistake.
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'arrivals-per-hour': { type: 'string', default: '360' },
        'handle-seconds': { type: 'string', default: '240' },
        agents: { type: 'string', default: '29' },
        'answer-within': { type: 'string', default: '20' },
        hours: { type: 'string', default: '24' },
        seed: { type: 'string', default: '1' },
        concurrent: { type: 'string', default: '1' },
        'abandon-after': { type: 'string' },
        'handle-distribution': { type: 'string', default: 'exponential' },
      },
      strict: true,
    }));
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  const num = (name: string, { integer = false, min = 0, positive = true } = {}): number => {
    const raw = values[name];
    const v = Number(raw);
    if (raw === undefined || raw.trim() === '' || !Number.isFinite(v))
      fail(`--${name} must be a number, got ${JSON.stringify(raw)}`);
    if (integer && !Number.isInteger(v)) fail(`--${name} must be a whole number, got ${raw}`);
    if (positive ? v <= min : v < min)
      fail(`--${name} must be ${positive ? 'greater than' : 'at least'} ${min}, got ${raw}`);
    return v;
  };
  const distribution = values['handle-distribution'] as HandleDistribution;
  if (!['exponential', 'constant', 'uniform'].includes(distribution))
    fail(`--handle-distribution must be exponential, constant or uniform`);
  const concurrent = num('concurrent', { integer: true });
  if (concurrent > 100) fail('--concurrent must be at most 100 (capacity is 100 units)');
  return {
    arrivalsPerHour: num('arrivals-per-hour'),
    handleSeconds: num('handle-seconds'),
    agents: num('agents', { integer: true }),
    answerWithin: num('answer-within', { positive: false }),
    hours: num('hours'),
    seed: num('seed', { integer: true, positive: false }),
    concurrent,
    ...(values['abandon-after'] !== undefined
      ? { abandonAfter: num('abandon-after', { positive: false }) }
      : {}),
    handleDistribution: distribution,
  };
}

const result = await simulate(parse(process.argv.slice(2)));
process.stdout.write(JSON.stringify(result) + '\n');
