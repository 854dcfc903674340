import { fileURLToPath } from 'node:url';

/** How a model-server child process is started: `command args… serve-model --model … --model-dir …`. */
export interface ServeModelCommand {
  command: string;
  args: string[];
}

/**
 * The opsbot CLI in the form this module runs as: compiled, plain node on dist/app/cli.js (what
 * bin/opsbot.js loads); from source (ts-jest, tsx), app/cli.ts through tsx-cli.mjs, which
 * registers tsx first. Either way the child is the real `opsbot serve-model`, not a stand-in.
 */
export function defaultServeModelCommand(): ServeModelCommand {
  const here = import.meta.url;
  if (!new URL(here).pathname.endsWith('.ts')) return { command: process.execPath, args: [fileURLToPath(new URL('../../app/cli.js', here))] };
  return { command: process.execPath, args: [fileURLToPath(new URL('./tsx-cli.mjs', here)), new URL('../../app/cli.ts', here).href] };
}
