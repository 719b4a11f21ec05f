import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// Benches that drive the server from a process of their own fork their own module with `--child`
// (run through tsx, IPC for requests and replies) and start their child side when run that way.

/** Forks the module at `moduleUrl` (its `import.meta.url`) as a child bench process. */
export function forkBenchChild(moduleUrl: string): ChildProcess {
  return fork(fileURLToPath(moduleUrl), ['--child'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** Whether this process is the child `forkBenchChild(moduleUrl)` started. */
export function isBenchChild(moduleUrl: string): boolean {
  return process.argv.includes('--child') && process.argv[1] === fileURLToPath(moduleUrl);
}
