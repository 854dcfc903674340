import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { InvalidInputError, OpsbotError, ServiceUnavailableError } from '../../core/index.js';
import { FETCH_ARTIFACT_USAGE } from './cli-usage.js';
import { artifactIndexSchema, type ArtifactIndex } from './artifact-files.js';
import { ARTIFACT_TOKEN_ENV } from './manifests.js';

const ATTEMPTS = 4;

/** A download that cannot be retried into success (refused, not found, corrupt). */
class FetchArtifactError extends OpsbotError {
  constructor(message: string) {
    super('job_failed', message);
  }
}

/**
 * `opsbot fetch-artifact`: lists the version's files at --url, downloads each into --to and checks its size and
 * SHA-256 before renaming it into place, so the model server never starts on a partial file. The token is read
 * from the environment (a secretKeyRef), never from the command line, which `kubectl describe pod` shows.
 */
export async function runFetchArtifact(argv: string[], io: { env?: NodeJS.ProcessEnv; stdout?: NodeJS.WritableStream; retryDelayMs?: number } = {}): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { url: { type: 'string' }, to: { type: 'string' } } });
  const env = io.env ?? process.env;
  const stdout = io.stdout ?? process.stdout;
  if (!values.url || !values.to) throw new InvalidInputError(`fetch-artifact needs --url and --to\n\nUsage: opsbot ${FETCH_ARTIFACT_USAGE}`);
  if (!URL.canParse(values.url) || !/^https?:$/.test(new URL(values.url).protocol)) throw new InvalidInputError(`fetch-artifact: --url must be an http(s) URL, not ${values.url}`);
  const token = env[ARTIFACT_TOKEN_ENV];
  if (!token) throw new InvalidInputError(`fetch-artifact: ${ARTIFACT_TOKEN_ENV} is not set (the pod takes it from the Secret named in deploy.kubernetes.artifacts.tokenSecret)`);
  const base = values.url.replace(/\/$/, '');
  const to = resolve(values.to);
  const retryDelayMs = io.retryDelayMs ?? 1000;
  const headers = { authorization: `Bearer ${token}` };

  const index = await withRetries(retryDelayMs, async () => {
    const response = await get(base, headers);
    const parsed = artifactIndexSchema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw new FetchArtifactError(`fetch-artifact: ${base} did not answer with a file list`);
    return parsed.data;
  });
  await mkdir(to, { recursive: true });
  for (const file of index.files) {
    await withRetries(retryDelayMs, () => download(base, headers, to, file));
    stdout.write(`fetched ${file.name} (${file.size} bytes, sha256 ${file.sha256.slice(0, 12)}…)\n`);
  }
  stdout.write(`fetched ${index.model} v${index.version} into ${to}\n`);
  return 0;
}

async function get(url: string, headers: Record<string, string>): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { headers, signal: AbortSignal.timeout(10 * 60_000) });
  } catch (error) {
    throw new ServiceUnavailableError(`fetch-artifact: ${url} could not be reached (${(error as Error).message})`);
  }
  if (response.status === 401 || response.status === 403) throw new FetchArtifactError(`fetch-artifact: ${url} refused the token (HTTP ${response.status}); check the Secret and OPSBOT_ARTIFACT_TOKEN on opsbot`);
  if (response.status >= 400 && response.status < 500) throw new FetchArtifactError(`fetch-artifact: ${url} answered HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`);
  if (response.status !== 200 || !response.body) throw new ServiceUnavailableError(`fetch-artifact: ${url} answered HTTP ${response.status}`);
  return response;
}

async function download(base: string, headers: Record<string, string>, to: string, file: ArtifactIndex['files'][number]): Promise<void> {
  const response = await get(`${base}/${encodeURIComponent(file.name)}`, headers);
  const partial = join(to, `.${file.name}.partial`);
  const hash = createHash('sha256');
  let size = 0;
  const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
  body.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    size += chunk.length;
  });
  try {
    await pipeline(body, createWriteStream(partial));
  } catch (error) {
    await rm(partial, { force: true });
    throw new ServiceUnavailableError(`fetch-artifact: the download of ${file.name} was cut off (${(error as Error).message})`);
  }
  const sha256 = hash.digest('hex');
  if (size !== file.size || sha256 !== file.sha256) {
    await rm(partial, { force: true });
    throw new ServiceUnavailableError(`fetch-artifact: ${file.name} arrived as ${size} bytes with sha256 ${sha256}, expected ${file.size} bytes with ${file.sha256}`);
  }
  await rename(partial, join(to, file.name));
}

/** Retries what the network may fix (unreachable, 5xx, a corrupt transfer); refusals fail at once. */
async function withRetries<T>(delayMs: number, attempt: () => Promise<T>): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (error instanceof FetchArtifactError || i >= ATTEMPTS) throw error;
      await new Promise((r) => setTimeout(r, delayMs * 2 ** (i - 1)));
    }
  }
}
