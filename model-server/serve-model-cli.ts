import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { z } from 'zod';
import { InvalidInputError, NotFoundError, type LoadedConfig } from '../core/index.js';
import { openStateStore } from '../app/open-state-store.js';
import { ModelServer } from './model-server.js';
import { modelServerOptionsSchema } from './model-server-options.js';
import { loadServedModel } from './served-model.js';
import { SERVE_MODEL_USAGE } from './serve-model-usage.js';

const argsSchema = z.object({
  model: z.string({ error: 'serve-model needs --model NAME' }).min(1),
  version: z.coerce.number({ error: 'serve-model needs --version N' }).int().min(1, '--version is a version number such as 3'),
});

/** `opsbot serve-model`: serves until SIGTERM or SIGINT, then drains; exit 1 when the version cannot be loaded. */
export async function runServeModel(argv: string[], loaded: LoadedConfig): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string' },
      version: { type: 'string' },
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
  const args = argsSchema.safeParse({ model: values.model, version: values.version?.replace(/^v/i, '') });
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
  const store = await openStateStore(config);
  const version = await store.registry.getVersion(args.data.model, args.data.version).finally(() => store.close());
  if (!version) throw new NotFoundError(`${args.data.model} has no version ${args.data.version} in the registry (${config.dataDir}); see \`status ${args.data.model}\``);

  const log = pino({ level: config.logLevel }, pino.destination(2));
  const server = await ModelServer.start({ name: version.model, version: version.version, load: () => loadServedModel(config.dataDir, version), options: options.data, log });
  process.stdout.write(`opsbot model server: ${version.model} v${version.version} on ${server.url} (loading)\n`);
  const stop = new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
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

const FLAGS: Record<string, string> = { maxBatch: '--max-batch', batchDelayMs: '--batch-delay-ms', waitForFullBatch: '--wait-for-full-batch', cacheSize: '--cache-size', cacheTtlS: '--cache-ttl-s', redisKeyPrefix: '--cache-prefix', redisUrl: 'REDIS_URL' };
const flagOf = (key: string) => FLAGS[key] ?? `--${key}`;
