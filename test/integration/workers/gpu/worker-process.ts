import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { eventually } from '../../../helpers/eventually.js';

const TRAINER_WORKER = fileURLToPath(new URL('./trainer-worker.ts', import.meta.url));

/** A trainer-worker.ts child process (see there), killed the way tests kill `opsbot worker`. */
export class TrainerWorkerProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;

  private constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, ['--import', 'tsx', TRAINER_WORKER], { env: { ...process.env, ...env } });
    this.child.stdout.on('data', (chunk: Buffer) => (this.stdout += chunk.toString('utf8')));
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  static async start(env: Record<string, string>, workerId: string, gpus: string): Promise<TrainerWorkerProcess> {
    const worker = new TrainerWorkerProcess({ ...env, OPSBOT_WORKER_ID: workerId, OPSBOT_GPUS: gpus });
    await eventually(`worker ${workerId} ready (stderr: ${worker.stderr})`, () => worker.stdout.includes('opsbot worker ready'), 30_000);
    return worker;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    await this.exited;
  }
}
