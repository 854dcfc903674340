import { spawn } from 'node:child_process';
import { stat, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { JobCancelledError, PermanentJobError, type CurvePoint } from '../../core/index.js';
import { trainerCommandProblems, type ExternalTrainerConfig } from '../../core/config/external-trainer.schema.js';
import { childProcessEnv } from '../child-process-env.js';
import { cudaEnv } from '../gpu/cuda-env.js';
import { ExternalTrainerFailedError } from './external-trainer-failed.error.js';
import { LineTail } from './line-tail.js';
import { signalGroup, stopGroup } from './process-group.js';
import { trainerArgv } from './trainer-argv.js';
import { parseTrainerLine } from './trainer-line.js';

const STDERR_TAIL_LINES = 20;
const MAX_KEPT_WARNINGS = 50;

/** One epoch reported by the trainer. */
export interface TrainerEpoch {
  /** `epoch` and every metric of the line: loss, accuracy, val_loss, val_accuracy, … */
  point: CurvePoint;
  /** The line's `total_epochs`, else the epochs asked for. */
  totalEpochs: number;
}

export interface ExternalTrainerRun {
  /** Substituted for {dataset} as given: pass the path as the trainer should see it. */
  dataset: string;
  epochs: number;
  /** Where the trainer writes its artifact ({artifact}); relative paths are resolved from workDir. */
  artifactPath: string;
  /** The job's GPUs (JobContext.gpus), for CUDA_VISIBLE_DEVICES; empty hides every GPU. */
  gpus: readonly number[];
  /** Cancellation: SIGTERM, then SIGKILL after the grace period. */
  signal: AbortSignal;
  /** Called for each metrics line, in order; the run waits for it. */
  onMetrics?: (epoch: TrainerEpoch) => void | Promise<void>;
  /** Called for each malformed protocol line and for failed onMetrics calls; training goes on. */
  onWarning?: (message: string) => void;
  /**
   * Resolves the trainer's relative cwd and artifact path.
   * @defaultValue process.cwd()
   */
  workDir?: string;
}

export interface ExternalTrainerResult {
  history: CurvePoint[];
  /** Absolute. */
  artifactPath: string;
  /** Malformed lines and other problems that did not stop training (the first 50). */
  warnings: string[];
}

/**
 * Runs a model's own trainer as a child process, without a shell, confined to the
 * job's GPUs and given none of opsbot's secrets (see childProcessEnv), and reads its JSON-lines metrics (workers/external/PROTOCOL.md).
 * Throws JobCancelledError when cancelled, PermanentJobError on a timeout, a command
 * that cannot start or a missing artifact, and ExternalTrainerFailedError (retried)
 * when it exits with an error; failures quote the last lines of its stderr.
 */
export async function runExternalTrainer(spec: ExternalTrainerConfig, run: ExternalTrainerRun): Promise<ExternalTrainerResult> {
  const problems = trainerCommandProblems(spec.command);
  if (problems.length > 0) throw new PermanentJobError(problems.join('; '));
  if (run.signal.aborted) throw new JobCancelledError('Cancelled before the trainer started.');
  const workDir = run.workDir ?? process.cwd();
  const artifactPath = resolve(workDir, run.artifactPath);
  await mkdir(dirname(artifactPath), { recursive: true });
  const [program, ...args] = trainerArgv(spec.command, {
    dataset: run.dataset,
    epochs: String(run.epochs),
    artifact: artifactPath,
    gpus: String(run.gpus.length),
  }) as [string, ...string[]];

  const child = spawn(program, args, {
    cwd: spec.cwd ? resolve(workDir, spec.cwd) : workDir,
    env: { ...childProcessEnv(process.env, { cuda: true, pass: spec.passEnv }), ...spec.env, ...cudaEnv(run.gpus) },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so stopping it also stops whatever it started.
    detached: true,
  });
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((done) => {
    child.once('error', (error) => done({ code: null, signal: null, error }));
    child.once('close', (code, signal) => done({ code, signal }));
  });

  const history: CurvePoint[] = [];
  const warnings: string[] = [];
  const warn = (message: string) => {
    if (warnings.length < MAX_KEPT_WARNINGS) warnings.push(message);
    run.onWarning?.(message);
  };
  let reported: Promise<void> = Promise.resolve();
  let lineNumber = 0;
  createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => {
    lineNumber += 1;
    const parsed = parseTrainerLine(line);
    if (parsed.kind === 'malformed') warn(`trainer stdout line ${lineNumber} ignored: ${parsed.problem} — ${line.slice(0, 200)}`);
    if (parsed.kind !== 'metrics') return;
    history.push(parsed.point);
    const epoch = { point: parsed.point, totalEpochs: parsed.totalEpochs ?? run.epochs };
    reported = reported.then(async () => {
      try {
        await run.onMetrics?.(epoch);
      } catch (error) {
        warn(`could not report epoch ${epoch.point.epoch}: ${(error as Error).message}`);
      }
    });
  });
  const stderr = new LineTail(STDERR_TAIL_LINES);
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));

  const graceMs = spec.killGraceSeconds * 1000;
  let stopped: 'cancelled' | 'timed out' | undefined;
  const stop = (why: 'cancelled' | 'timed out') => {
    stopped ??= why;
    stopGroup(child, ended, graceMs);
  };
  const onAbort = () => stop('cancelled');
  run.signal.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => stop('timed out'), spec.timeoutSeconds * 1000);
  const outcome = await ended;
  clearTimeout(timer);
  run.signal.removeEventListener('abort', onAbort);
  // Anything it left running (data loaders, a stray server) would hold its GPUs.
  signalGroup(child, 'SIGKILL');
  await reported;

  const tail = stderr.text();
  const stderrNote = tail ? `\nLast lines of its stderr:\n${tail}` : ' It wrote nothing to stderr.';
  if (stopped === 'cancelled') throw new JobCancelledError('Cancelled while running; the trainer was stopped.');
  if (stopped === 'timed out') {
    throw new PermanentJobError(`The trainer ran longer than its timeout of ${spec.timeoutSeconds} s and was stopped.${stderrNote}`);
  }
  if (outcome.error) {
    throw new PermanentJobError(`Could not start the trainer \`${program}\`: ${outcome.error.message}. Check the model's trainer command and the worker's PATH.`);
  }
  if (outcome.code !== 0) {
    const how = outcome.signal ? `was killed by ${outcome.signal}` : `exited with code ${outcome.code}`;
    throw new ExternalTrainerFailedError(`The trainer ${how}.${stderrNote}`);
  }
  if (!(await stat(artifactPath).catch(() => undefined))) {
    throw new PermanentJobError(`The trainer exited successfully but wrote no artifact at ${artifactPath} (its {artifact} argument).`);
  }
  return { history, artifactPath, warnings };
}
