import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually } from '../../helpers/eventually.js';
import { OpsbotProcess } from '../../helpers/opsbot-process.js';
import { SlackApiFake } from '../../helpers/slack-api-fake.js';

const RECORD_MODULES = fileURLToPath(new URL('../../fixtures/module-log/record-modules.mjs', import.meta.url));
/** Packages that only some configurations need: none may load in a process that does not use it. */
const ON_DEMAND = ['tsx', '@kubernetes/client-node', '@langchain/core', '@slack/bolt', 'botbuilder', 'botframework-connector', 'bullmq', 'ioredis', 'pg', 'onnxruntime-node', 'vega', 'vega-lite', '@resvg/resvg-js', 'hyparquet', 'onnx-proto'];

const packagesIn = (urls: string[]) => new Set(urls.flatMap((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? []));

describe('opsbot serve runs compiled JavaScript and loads only what its configuration uses', () => {
  let dir: string;
  let api: SlackApiFake;

  beforeAll(async () => {
    api = await SlackApiFake.start();
  });
  afterAll(() => api.close());
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'opsbot-footprint-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Starts `opsbot serve` with `env`, waits for /healthz, and says which modules it had loaded by then. */
  async function modulesOnceHealthy(env: Record<string, string>): Promise<string[]> {
    const logFile = join(dir, 'modules.log');
    const bot = new OpsbotProcess(['serve'], {
      cwd: dir,
      env: { PORT: '0', OPSBOT_DATA_DIR: join(dir, '.opsbot'), NODE_OPTIONS: `--import ${RECORD_MODULES}`, MODULE_LOG_FILE: logFile, ...env },
    });
    try {
      const url = await eventually(`serve listening (stderr: ${bot.stderr})`, () => /"url":"(http:\/\/[^"]+)"/.exec(bot.stdout)?.[1], 30_000);
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
      return readFileSync(logFile, 'utf8').trim().split('\n');
    } finally {
      await bot.stop();
    }
  }

  it('by default: dist/ JavaScript only (no tsx, no TypeScript), and no chat SDK, queue, database driver, ONNX or chart engine', async () => {
    const urls = await modulesOnceHealthy({});
    const ours = urls.filter((url) => url.startsWith('file:') && !url.includes('/node_modules/'));
    expect(ours.some((url) => url.endsWith('/dist/app/cli.js'))).toBe(true);
    expect(ours.filter((url) => !/\/(dist\/.*\.js|bin\/opsbot\.js|fixtures\/module-log\/record-modules\.mjs)$/.test(url))).toEqual([]);
    const loaded = packagesIn(urls);
    expect(ON_DEMAND.filter((name) => loaded.has(name))).toEqual([]);
  }, 60_000);

  it('with Slack configured: Bolt loads, and still no botbuilder, BullMQ or pg', async () => {
    const urls = await modulesOnceHealthy({ SLACK_SIGNING_SECRET: 'footprint-signing-secret', SLACK_BOT_TOKEN: api.token, SLACK_API_URL: api.url });
    const loaded = packagesIn(urls);
    expect(loaded.has('@slack/bolt')).toBe(true);
    expect(ON_DEMAND.filter((name) => name !== '@slack/bolt' && loaded.has(name))).toEqual([]);
  }, 60_000);
});
