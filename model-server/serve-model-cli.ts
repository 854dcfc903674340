import { existsSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { z } from 'zod';
import { InvalidInputError, NotFoundError, type LoadedConfig, type ModelVersion } from '../core/index.js';
import { openStateStore } from '../app/open-state-store.js';
import { ModelServer } from './model-server.js';
import { modelServerOptionsSchema } from './model-server-options.js';
import { loadServedModel } from './served-model.js';
import { SERVE_MODEL_USAGE } from './serve-model-usage.js';

const argsSchema = z.object({
  model: z.string({ error: 'serve-model needs --model NAME' }).min(1),
  version: z.coerce.number({ error: 'serve-model needs --version N' }).int().min(1, '--version is a version number such as 3'),
  modelDir: z.string().min(1, '--model-dir is the directory that holds model.json and model.onnx').optional(),
});

/** The manifest a version's directory holds (see workers/training/model/model-files.ts). */
const MANIFEST_FILE = 'model.json';

/** `opsbot serve-model`: serves until SIGTERM or SIGINT, then drains; exit 1 when the version cannot be loaded. */
export async function runServeModel(argv: string[], loaded: LoadedConfig): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string' },
      version: { type: 'string' },
      'model-dir': { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'max-batch': { type: 'string' },
      'batch-delay-ms': { type: 'string' },
      'cache-size': { type: 'string' },
      'cache-ttl-s': { type: 'string' },
      'cache-prefix': { type: 'string' },
      'wait-for-full-batch': { type: 'boolean' },
    },
  });
  const args = argsSchema.safeParse({ model: values.model, version: values.version?.replace(/^v/i, ''), modelDir: values['model-dir'] });
  const options = modelServerOptionsSchema.safeParse({
    port: values.port,
    host: values.host,
    maxBatch: values['max-batch'],
    batchDelayMs: values['batch-delay-ms'],
    waitForFullBatch: values['wait-for-full-batch'],
    cacheSize: values['cache-size'],
    cacheTtlS: values['cache-ttl-s'],
    redisKeyPrefix: values['cache-prefix'],
    redisUrl: loaded.config.redisUrl,
  });
  if (!args.success || !options.success) {
    const issues = [...(args.error?.issues ?? []), ...(options.error?.issues ?? [])];
    throw new InvalidInputError(`serve-model: ${issues.map((i) => (i.path.length > 0 ? `${flagOf(String(i.path[0]))}: ${i.message}` : i.message)).join('; ')}\n\nUsage: opsbot ${SERVE_MODEL_USAGE}`);
  }
  const { config } = loaded;
  const source = args.data.modelDir ? versionInDirectory(args.data.model, args.data.version, args.data.modelDir) : await registeredVersion(config.dataDir, args.data.model, args.data.version, loaded);
  const version = source.version;

  const log = pino({ level: config.logLevel }, pino.destination(2));
  const server = await ModelServer.start({ name: version.model, version: version.version, load: () => loadServedModel(source.dataDir, version), options: options.data, log });
  process.stdout.write(`opsbot model server: ${version.model} v${version.version} on ${server.url} (loading)\n`);
  const stop = new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
    // Started by opsbot's local deploy target with an IPC channel: when it closes, opsbot is gone
    // (even killed with SIGKILL, which runs no exit handler there), and this server must not outlive it.
    if (process.channel) {
      process.channel.unref();
      process.once('disconnect', resolve);
    }
  });
  const loadedOk = await Promise.race([server.ready.then(() => true, () => false), stop.then(() => undefined)]);
  if (loadedOk === false) {
    await server.close();
    process.stderr.write(`opsbot: ${version.model} v${version.version} could not be loaded; see the log above\n`);
    return 1;
  }
  if (loadedOk) process.stdout.write(`opsbot model server: ${version.model} v${version.version} ready on ${server.url}\n`);
  await stop;
  await server.close();
  process.stdout.write('opsbot model server: stopped\n');
  return 0;
}

/** Where a registered version's files are: the registry entry, its artifact relative to the data directory. */
async function registeredVersion(dataDir: string, model: string, number: number, loaded: LoadedConfig): Promise<{ version: ModelVersion; dataDir: string }> {
  const store = await openStateStore(loaded.config);
  const version = await store.registry.getVersion(model, number).finally(() => store.close());
  if (!version) throw new NotFoundError(`${model} has no version ${number} in the registry (${dataDir}); see \`status ${model}\``);
  return { version, dataDir };
}

/**
 * `--model-dir`: the version's files straight from their directory (a local deploy's child process, a pod with the
 * artifact mounted), without the state store; --model and --version only name what it serves.
 */
function versionInDirectory(model: string, number: number, modelDir: string): { version: ModelVersion; dataDir: string } {
  const dir = resolvePath(modelDir);
  if (!existsSync(join(dir, MANIFEST_FILE))) throw new NotFoundError(`--model-dir ${dir} holds no ${MANIFEST_FILE}: point it at the directory of a trained version (model.json, model.onnx)`);
  // Only what loading reads (name, number, artifact, trainer) is real; the rest is the registry's and unknown here.
  const version: ModelVersion = { model, version: number, artifactPath: MANIFEST_FILE, params: {}, createdAt: '', createdBy: '', jobId: '', dataset: '', datasetHash: '', metrics: {} };
  return { version, dataDir: dir };
}

const FLAGS: Record<string, string> = { maxBatch: '--max-batch', batchDelayMs: '--batch-delay-ms', waitForFullBatch: '--wait-for-full-batch', cacheSize: '--cache-size', cacheTtlS: '--cache-ttl-s', redisKeyPrefix: '--cache-prefix', redisUrl: 'REDIS_URL', modelDir: '--model-dir' };
const flagOf = (key: string) => FLAGS[key] ?? `--${key}`;
