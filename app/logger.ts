import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { pino, type Logger as PinoLogger } from 'pino';
import type { OpsbotConfig } from '../core/index.js';

/**
 * Structured logs. The interactive bot logs to a file so log lines never interleave
 * with the chat in the terminal; workers log to stdout for their supervisor.
 */
export function createLogger(config: OpsbotConfig, destination: 'stdout' | { file: string }): PinoLogger {
  if (destination === 'stdout') return pino({ level: config.logLevel });
  mkdirSync(dirname(destination.file), { recursive: true });
  return pino({ level: config.logLevel }, pino.destination({ dest: destination.file, sync: false, mkdir: true }));
}
