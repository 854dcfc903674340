import { createHash, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { z } from 'zod';
import { MODEL_NAME_PATTERN, silentLogger, type Logger, type ModelRegistry } from '../../core/index.js';
import { ARTIFACT_FILE_NAME, artifactIndex, versionDirectory } from './artifact-files.js';

export interface ArtifactRouteOptions {
  /** opsbot's data directory: the versions' files are under it. */
  dataDir: string;
  registry: Pick<ModelRegistry, 'getVersion'>;
  /** The bearer token pods present (OPSBOT_ARTIFACT_TOKEN; the same value as the Secret the init container reads). */
  token: string;
  /** Where the route is mounted. @defaultValue `/artifacts` */
  basePath?: string;
  log?: Logger;
}

/** The shortest token accepted: a guessable one would hand every model's weights to anyone in the cluster. */
export const MIN_TOKEN_LENGTH = 32;

const pathSchema = z.object({
  model: z.string().regex(MODEL_NAME_PATTERN, 'a model name'),
  version: z.string().regex(/^[1-9][0-9]{0,8}$/, 'a version number').transform(Number),
  file: z.string().regex(ARTIFACT_FILE_NAME, 'a file name').optional(),
});

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * The route pods' `fetch-artifact` init container downloads a version from (artifacts.mode `http`):
 * `GET {base}/{model}/{version}` lists its files with sizes and SHA-256s, `GET {base}/{model}/{version}/{file}`
 * streams one. A bearer token is required (compared in constant time); the path is checked with zod (a model
 * name, a version number, a file the version's manifest names), so nothing outside a version's files is reachable.
 */
export function artifactDownloadHandler(options: ArtifactRouteOptions): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  if (options.token.length < MIN_TOKEN_LENGTH) throw new Error(`the artifact route's token must be at least ${MIN_TOKEN_LENGTH} characters (openssl rand -hex 32)`);
  const expected = digest(options.token);
  const base = (options.basePath ?? '/artifacts').replace(/\/$/, '');
  const log = options.log ?? silentLogger;
  return async (request, response) => {
    const reply = (status: number, body: object, headers: Record<string, string> = {}) => {
      const payload = JSON.stringify(body);
      response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), 'cache-control': 'no-store', ...headers });
      response.end(payload);
    };
    // Express strips a mount path from req.url but keeps it in originalUrl; plain node:http has url only.
    const url = new URL((request as { originalUrl?: string }).originalUrl ?? request.url ?? '/', 'http://opsbot.invalid');
    const header = request.headers.authorization ?? '';
    const presented = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
    // Both sides hashed first: equal lengths for timingSafeEqual, and nothing learnt from the token's length.
    if (presented === undefined || !timingSafeEqual(digest(presented), expected)) {
      return reply(401, { error: 'a valid bearer token is required' }, { 'www-authenticate': 'Bearer realm="opsbot-artifacts"' });
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return reply(405, { error: 'only GET' }, { allow: 'GET, HEAD' });
    if (!url.pathname.startsWith(`${base}/`)) return reply(404, { error: 'not found' });
    let segments: string[];
    try {
      segments = url.pathname.slice(base.length + 1).split('/').map((s) => decodeURIComponent(s));
    } catch {
      return reply(400, { error: 'the path is not valid URL encoding' });
    }
    if (segments.length < 2 || segments.length > 3) return reply(400, { error: `expected ${base}/<model>/<version>[/<file>]` });
    const parsed = pathSchema.safeParse({ model: segments[0], version: segments[1], file: segments[2] });
    if (!parsed.success) return reply(400, { error: `bad artifact path: ${parsed.error.issues.map((i) => `${String(i.path[0])} must be ${i.message}`).join('; ')}` });
    const { model, version, file } = parsed.data;
    const entry = await options.registry.getVersion(model, version);
    const dir = entry ? versionDirectory(options.dataDir, entry) : undefined;
    if (!entry || !dir) return reply(404, { error: `${model} has no version ${version}` });
    let index;
    try {
      index = await artifactIndex(dir, entry);
    } catch (error) {
      log.warn({ err: error, model, version }, 'a version\'s files could not be read for download');
      return reply(404, { error: `the files of ${model} v${version} are not on this opsbot (removed by retention?)` });
    }
    if (file === undefined) return reply(200, index);
    const listed = index.files.find((f) => f.name === file);
    if (!listed) return reply(404, { error: `${model} v${version} has no file ${file}` });
    log.info({ model, version, file, bytes: listed.size }, 'artifact download');
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': listed.size, 'x-checksum-sha256': listed.sha256, 'cache-control': 'no-store' });
    if (request.method === 'HEAD') return void response.end();
    await new Promise<void>((resolve) => {
      createReadStream(join(dir, listed.name))
        .on('error', (error) => {
          log.warn({ err: error, model, version, file }, 'artifact download cut off');
          response.destroy();
          resolve();
        })
        .on('end', resolve)
        .pipe(response);
    });
  };
}
