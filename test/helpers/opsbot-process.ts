import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { eventually } from './eventually.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const OPSBOT_BIN = fileURLToPath(new URL('../../bin/opsbot.js', import.meta.url));

// The CLI runs the compiled dist/, so tests that spawn it first bring the build up to date
// (`npm run build`: about a second when nothing changed), or they would test stale code.
// tsc still writes the JavaScript when types are wrong: type errors are the type check's
// to report (and `npm ci` fails on them), so here they are only shown.
const build = spawnSync(process.execPath, [fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url)), '-b', 'tsconfig.build.json'], {
  cwd: REPO,
  encoding: 'utf8',
});
if (build.status !== 0) process.stderr.write(`npm run build reported errors; running the JavaScript it wrote:\n${build.stdout}${build.stderr}`);

/** A real `opsbot` child process with its output collected. */
export class OpsbotProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;

  constructor(args: string[], options: { cwd: string; env: Record<string, string> }) {
    this.child = spawn(process.execPath, [OPSBOT_BIN, ...args], { cwd: options.cwd, env: { ...process.env, ...options.env } });
    this.child.stdout.on('data', (chunk: Buffer) => (this.stdout += chunk.toString('utf8')));
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  static async worker(cwd: string, env: Record<string, string>, workerId: string): Promise<OpsbotProcess> {
    const worker = new OpsbotProcess(['worker'], { cwd, env: { ...env, OPSBOT_WORKER_ID: workerId } });
    await eventually(`worker ${workerId} ready (stderr: ${worker.stderr})`, () => worker.stdout.includes('opsbot worker ready'), 30_000);
    return worker;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    await this.exited;
  }
}
