import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Logger } from '../../core/logger.port.js';
import { LineTail } from '../../workers/external/line-tail.js';
import type { ServeModelCommand } from './serve-model-command.js';

/** What one `opsbot serve-model` child runs, and how. */
export interface ModelServerProcessSpec {
  command: ServeModelCommand;
  model: string;
  version: number;
  /** The version's directory (model.json, model.onnx), passed as --model-dir. */
  modelDir: string;
  /** The child's whole environment (allow-listed by the caller). */
  env: Record<string, string>;
  /** Its working directory: one without an opsbot.config.json, so it runs on defaults and its flags only. */
  cwd: string;
  /** Receives the child's output, one entry a line, with `fields` on each. */
  log: Logger;
  fields: Record<string, unknown>;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all (spawn error). */
  error?: Error;
}

const TAIL_LINES = 15;
/** `opsbot model server: NAME vN on http://127.0.0.1:PORT (loading)` — the port it was given by the OS. */
const LISTENING = /^opsbot model server: .* on (http:\/\/127\.0\.0\.1:\d+) \(loading\)$/;
const PINO_LEVELS: Array<[number, keyof Logger]> = [
  [50, 'error'],
  [40, 'warn'],
  [30, 'info'],
  [0, 'debug'],
];

/**
 * One `opsbot serve-model` child process on a loopback port the OS picks (--port 0; the child
 * prints it). Its stdout and stderr go to opsbot's log, never to the terminal, and their last
 * lines are kept for a failure message. It has an IPC channel it never uses: the child exits
 * when that channel closes, which is how it notices opsbot died even by SIGKILL.
 */
export class ModelServerProcess {
  /** Resolves with the server's URL once it listens (it is loading then); rejects if it exits first. */
  readonly url: Promise<string>;
  /** Settles when the process is gone. */
  readonly exited: Promise<ProcessExit>;
  exit?: ProcessExit;
  private readonly child: ChildProcess;
  private readonly tail = new LineTail(TAIL_LINES);

  constructor(private readonly spec: ModelServerProcessSpec) {
    const args = [...spec.command.args, 'serve-model', '--model', spec.model, '--version', String(spec.version), '--model-dir', spec.modelDir, '--host', '127.0.0.1', '--port', '0'];
    // detached: false (the default) keeps it in opsbot's process group, so a Ctrl-C in the terminal reaches it too.
    this.child = spawn(spec.command.command, args, { cwd: spec.cwd, env: spec.env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], detached: false });
    let listening: ((url: string) => void) | undefined;
    this.url = new Promise((resolve) => (listening = resolve));
    this.exited = new Promise<ProcessExit>((resolve) => {
      let spawnError: Error | undefined;
      // `on`, not `once`: a failed spawn may report a second error (the IPC channel), which must not crash opsbot.
      this.child.on('error', (error) => {
        spawnError ??= error;
        if (this.child.pid === undefined) finish(null, null);
      });
      const finish = (code: number | null, signal: NodeJS.Signals | null) => {
        if (this.exit) return;
        this.exit = { code, signal, ...(spawnError ? { error: spawnError } : {}) };
        resolve(this.exit);
      };
      this.child.once('close', finish);
    });
    this.url = Promise.race([this.url, this.exited.then((exit) => Promise.reject(new Error(`the model server ${describeExit(exit)} before it listened`)))]);
    this.url.catch(() => {});
    const lines = (stream: NodeJS.ReadableStream | null, name: 'stdout' | 'stderr') =>
      stream && createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        const url = name === 'stdout' ? LISTENING.exec(line)?.[1] : undefined;
        if (url) listening?.(url);
        this.relay(line, name);
      });
    lines(this.child.stdout, 'stdout');
    lines(this.child.stderr, 'stderr');
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The child's last lines of output, readable (its JSON log lines shortened to their message), for a failure message. */
  lastLines(): string {
    return this.tail.text();
  }

  /** SIGTERM (the server drains: answers what it holds, then exits), SIGKILL after `graceMs`. Resolves when it is gone. */
  async stop(graceMs: number): Promise<void> {
    if (this.exit) return;
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** At once and synchronously: for opsbot's own exit, when nothing can be awaited any more. */
  kill(): void {
    this.signal('SIGKILL');
  }

  private signal(signal: NodeJS.Signals): void {
    if (this.exit || this.child.exitCode !== null || this.child.signalCode !== null) return;
    try {
      this.child.kill(signal);
    } catch {
      // Already gone: 'close' reports it.
    }
  }

  /** A pino JSON line keeps its level and fields; plain text is info on stdout, warn on stderr. */
  private relay(line: string, stream: 'stdout' | 'stderr'): void {
    if (line.trim() === '') return;
    const { log, fields } = this.spec;
    const entry = line.startsWith('{') ? parseJson(line) : undefined;
    if (entry && typeof entry.level === 'number' && typeof entry.msg === 'string') {
      const { level, msg, time: _time, pid: _pid, hostname: _hostname, ...rest } = entry;
      const method = PINO_LEVELS.find(([at]) => (level as number) >= at)?.[1] ?? 'info';
      log[method]({ ...fields, pid: this.pid, ...rest }, msg);
      const err = rest.err as { message?: unknown } | undefined;
      this.tail.push(`${msg}${typeof err?.message === 'string' ? `: ${err.message}` : ''}\n`);
      return;
    }
    log[stream === 'stderr' ? 'warn' : 'info']({ ...fields, pid: this.pid, stream }, line);
    this.tail.push(`${line}\n`);
  }
}

function parseJson(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** "exited with code 1", "was killed by SIGKILL", "could not be started (spawn ENOENT)". */
export function describeExit(exit: ProcessExit): string {
  if (exit.error && exit.code === null && exit.signal === null) return `could not be started (${exit.error.message})`;
  if (exit.signal) return `was killed by ${exit.signal}`;
  return `exited with code ${exit.code}`;
}
