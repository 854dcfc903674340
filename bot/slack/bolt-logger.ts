import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../core/index.js';

const ORDER: Record<LogLevel, number> = { [LogLevel.DEBUG]: 0, [LogLevel.INFO]: 1, [LogLevel.WARN]: 2, [LogLevel.ERROR]: 3 };

/** Bolt and its WebClient log through opsbot's logger, so their lines land in the same log. */
export function boltLogger(log: Logger, level: LogLevel = LogLevel.INFO): BoltLogger {
  let current = level;
  let name = 'slack';
  const emit = (at: LogLevel, parts: unknown[]) => {
    if (ORDER[at] < ORDER[current]) return;
    const err = parts.find((part): part is Error => part instanceof Error);
    const msg = parts
      .filter((part) => part !== err)
      .map((part) => (typeof part === 'string' ? part : safeJson(part)))
      .join(' ');
    log[at](err ? { component: name, err } : { component: name }, msg || err?.message || '');
  };
  return {
    debug: (...parts: unknown[]) => emit(LogLevel.DEBUG, parts),
    info: (...parts: unknown[]) => emit(LogLevel.INFO, parts),
    warn: (...parts: unknown[]) => emit(LogLevel.WARN, parts),
    error: (...parts: unknown[]) => emit(LogLevel.ERROR, parts),
    setLevel: (next: LogLevel) => {
      current = next;
    },
    getLevel: () => current,
    setName: (next: string) => {
      name = next;
    },
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
