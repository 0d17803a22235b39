/**
 * `node guarded-exec.ts <command> [args…]`: runs a program that cannot watch its parent itself
 * (redis-server) and stops it when the launcher dies. Signals the launcher sends are passed on,
 * and this process exits the way the program did, so the launcher sees the program's own exit.
 */
import { spawn } from 'node:child_process';
import { watchParent } from './watch-parent.js';

const [command, ...args] = process.argv.slice(2);
if (command === undefined) {
  process.stderr.write('usage: guarded-exec <command> [args…]\n');
  process.exit(2);
}

const child = spawn(command, args, { stdio: 'inherit' });
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal));
watchParent(() => {
  child.kill('SIGTERM');
  setTimeout(() => child.kill('SIGKILL'), 3_000).unref();
});
child.on('error', (error) => {
  process.stderr.write(`cannot run ${command}: ${error.message}\n`);
  process.exit(127);
});
child.on('exit', (code, signal) => {
  if (signal === null) process.exit(code ?? 1);
  process.removeAllListeners(signal);
  process.kill(process.pid, signal);
});
