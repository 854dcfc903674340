/**
 * @jest-environment ./test/helpers/onnx-environment.ts
 */
import { call } from '../../helpers/model-server-client.js';
import { eventually } from '../../helpers/eventually.js';
import { OpsbotProcess } from '../../helpers/opsbot-process.js';
import { runCli } from '../../helpers/run-cli.js';
import { trainServableModel, type ServableModel } from '../../helpers/servable-model.js';

/** `opsbot serve-model` as its own process, reading the registry from the data directory. */
describe('opsbot serve-model', () => {
  let trained: ServableModel;
  const env = () => ({ OPSBOT_DATA_DIR: trained.dataDir, OPSBOT_LOG_LEVEL: 'warn' });

  beforeAll(async () => void (trained = await trainServableModel()), 120_000);
  afterAll(async () => trained?.harness.close());

  it('prints the port it chose, turns ready, serves V2, and on SIGTERM answers the request in flight before exiting 0', async () => {
    const server = new OpsbotProcess(['serve-model', '--model', 'sentiment', '--version', 'v1', '--port', '0', '--batch-delay-ms', '400', '--wait-for-full-batch'], { cwd: trained.harness.dir, env: env() });
    try {
      const url = await eventually(`the listening line (stderr: ${server.stderr})`, () => /on (http:\/\/127\.0\.0\.1:\d+)/.exec(server.stdout)?.[1], 30_000);
      await eventually('ready', () => server.stdout.includes('ready on'), 30_000);
      expect((await call(`${url}/healthz`)).status).toBe(200);
      const infer = await call(`${url}/v2/models/sentiment/infer`, { body: { inputs: [{ name: 'text', datatype: 'BYTES', shape: [1], data: [trained.texts[0]] }] } });
      expect(infer).toMatchObject({ status: 200, body: { model_name: 'sentiment', model_version: '1' } });

      const inFlight = call(`${url}/v1/models/sentiment:predict`, { body: { instances: ['one more slow and buggy build'] } });
      await new Promise((resolve) => setTimeout(resolve, 100));
      server.child.kill('SIGTERM');
      expect(await inFlight).toMatchObject({ status: 200, body: { predictions: [{ label: 'negative' }] } });
      expect(await server.exited).toBe(0);
      expect(server.stdout).toContain('stopped');
    } finally {
      await server.stop('SIGKILL');
    }
  }, 90_000);

  it('refuses bad arguments and an unknown version, saying what to pass', async () => {
    const missing = await runCli(['serve-model', '--model', 'sentiment'], { cwd: trained.harness.dir, env: env() });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/serve-model needs --version N/);
    const badBatch = await runCli(['serve-model', '--model', 'sentiment', '--version', '1', '--max-batch', 'lots'], { cwd: trained.harness.dir, env: env() });
    expect(badBatch.stderr).toMatch(/--max-batch/);
    const unknown = await runCli(['serve-model', '--model', 'sentiment', '--version', '9'], { cwd: trained.harness.dir, env: env() });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/sentiment has no version 9 in the registry/);
  }, 60_000);
});
