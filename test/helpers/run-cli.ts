import { spawn } from 'node:child_process';
import { OPSBOT_BIN } from './opsbot-process.js';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `opsbot <args>` to completion with `input` on stdin (piped, not a TTY). */
export function runCli(args: string[], options: { cwd: string; env?: Record<string, string>; input?: string; timeoutMs?: number }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    // Port 0: each run's playground listens on a free port, so runs never collide.
    const env: Record<string, string | undefined> = { ...process.env, PORT: '0', ...options.env };
    delete env.REDIS_URL;
    if (options.env?.REDIS_URL) env.REDIS_URL = options.env.REDIS_URL;
    const child = spawn(process.execPath, [OPSBOT_BIN, ...args], { cwd: options.cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`opsbot ${args.join(' ')} timed out; stdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}
