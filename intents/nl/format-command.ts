import type { ActionName } from '../../core/index.js';
import { COMMAND_GRAMMARS } from '../command-grammar.js';
import type { ArgValue } from '../normalize-slots.js';

/** How a slot is written as an option: --key value. */
const OPTION_ORDER = ['dataset', 'epochs', 'gpus', 'mode', 'base', 'algorithm', 'trials', 'method', 'keep', 'min', 'max', 'user', 'action', 'model', 'since', 'limit'];

/**
 * The exact command an action runs as, in the grammar's own words, so that showing it back
 * ("deploy fraud v3 to prod") and parsing it again give the same action. Missing pieces are
 * left out: a half-built action reads as the command so far ("deploy fraud v3").
 */
export function formatCommand(action: ActionName, args: Readonly<Record<string, ArgValue | undefined>>): string {
  const rule = COMMAND_GRAMMARS[action];
  const parts: string[] = [action];
  const done = new Set<string>();
  const put = (slot: string, text: string) => {
    parts.push(text);
    done.add(slot);
  };
  const value = (slot: string) => args[slot];
  if (action === 'audit' && value('verify') === true) put('verify', 'verify');
  const positional = rule.positional;
  if (positional !== undefined && positional !== 'action' && value(positional) !== undefined) put(positional, String(value(positional)));
  // `status` reads a job id or a model in the same place.
  else if (action === 'status' && value('model') !== undefined) put('model', String(value('model')));
  const version = value('version');
  const env = value('env');
  if (action === 'rollback') {
    if (env !== undefined) put('env', `in ${String(env)}`);
    if (version !== undefined) put('version', `to ${versionWord(version)}`);
  } else {
    if (version !== undefined) put('version', versionWord(version));
    if (env !== undefined) put('env', `${action === 'deploy' ? 'to' : 'in'} ${String(env)}`);
  }
  if (action === 'scale' && value('replicas') !== undefined) put('replicas', `to ${String(value('replicas'))}`);
  for (const slot of OPTION_ORDER) {
    const v = value(slot);
    if (v === undefined || done.has(slot) || v === false) continue;
    put(slot, `--${slot} ${/\s/.test(String(v)) ? `"${String(v)}"` : String(v)}`);
  }
  return parts.join(' ');
}

function versionWord(version: ArgValue): string {
  return /^\d+$/.test(String(version)) ? `v${String(version)}` : String(version);
}
