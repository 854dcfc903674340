import { ModelServer, loadServedModel } from '../model-server/index.js';
import type { ModelVersion } from '../core/index.js';

/**
 * The model server of the serving bench, in its own process so its event loop is not the
 * client's. Arguments: data directory, the version's registry entry as JSON, the server
 * options as JSON. Prints `READY <url>` once warmed up; SIGTERM drains and exits.
 */
const [dataDir = '', versionJson = '{}', optionsJson = '{}'] = process.argv.slice(2);
const version = JSON.parse(versionJson) as ModelVersion;
const server = await ModelServer.start({ name: version.model, version: version.version, load: () => loadServedModel(dataDir, version), options: { ...JSON.parse(optionsJson), port: 0 } });
await server.ready;
process.stdout.write(`READY ${server.url}\n`);
process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
