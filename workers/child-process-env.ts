/** Variables a child process needs to run at all: where programs are, whose home, which locale, time zone and temp dir. */
const BASE_NAMES = ['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LANGUAGE', 'TZ', 'TMPDIR', 'TMP', 'TEMP'];
const BASE_PREFIXES = ['LC_'];
/** What CUDA programs read to find their drivers and devices (CUDA_VISIBLE_DEVICES is set per job on top). */
const CUDA_NAMES = ['LD_LIBRARY_PATH', 'NVIDIA_VISIBLE_DEVICES', 'NVIDIA_DRIVER_CAPABILITIES', 'NVIDIA_REQUIRE_CUDA', 'NVIDIA_DISABLE_REQUIRE'];
// NVIDIA_* is listed by name, not by prefix: NVIDIA_API_KEY (NGC, NIM) is a secret.
const CUDA_PREFIXES = ['CUDA_'];

export interface ChildEnvOptions {
  /** Also pass the CUDA and NVIDIA variables. @defaultValue false */
  cuda?: boolean;
  /** Further variables to pass through by name, when set. */
  pass?: readonly string[];
}

/**
 * The environment a child process gets instead of opsbot's own: an allow-list, so
 * secrets (SLACK_BOT_TOKEN, MICROSOFT_APP_PASSWORD, DATABASE_URL, REDIS_URL…) never
 * reach it unless its config names them.
 */
export function childProcessEnv(source: NodeJS.ProcessEnv, options: ChildEnvOptions = {}): Record<string, string> {
  const names = new Set([...BASE_NAMES, ...(options.cuda ? CUDA_NAMES : []), ...(options.pass ?? [])]);
  const prefixes = [...BASE_PREFIXES, ...(options.cuda ? CUDA_PREFIXES : [])];
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) {
    if (value !== undefined && (names.has(name) || prefixes.some((prefix) => name.startsWith(prefix)))) env[name] = value;
  }
  return env;
}
