import { mkdir, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import path from 'node:path';

/**
 * Starts the V8 CPU profiler in this process; the function it returns stops it and writes
 * `<dir>/<name>.cpuprofile` (open in Chrome DevTools or speedscope).
 */
export async function startProfiling(): Promise<(dir: string, name: string) => Promise<void>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  return async (dir, name) => {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
  };
}

/**
 * Runs `work` under the CPU profiler when BENCH_PROFILE_DIR is set: the profile of the measured
 * phase alone, without start-up and seeding, which `node --cpu-prof` would mix in.
 */
export async function profiled<T>(name: string, work: () => Promise<T>): Promise<T> {
  const dir = process.env.BENCH_PROFILE_DIR;
  if (!dir) return work();
  const stop = await startProfiling();
  try {
    return await work();
  } finally {
    await stop(dir, name);
  }
}
