import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig, Dispatcher, silentLogger, type CancelOutcome, type ChatPort, type JobQueue, type Message, type QueuedJob } from '../../../core/index.js';
import { grammarInterpreter } from '../../../app/command-interpreter.js';
import { openSqliteStateStore } from '../../../store/index.js';
import { datasetCheck } from '../../../workers/training/dataset/dataset-check.js';
import { alice, terminal } from '../../helpers/fixtures.js';

/** A queue that only records what reached it. */
class RecordingQueue implements JobQueue {
  readonly enqueued: QueuedJob[] = [];
  async enqueue(job: QueuedJob): Promise<void> {
    this.enqueued.push(job);
  }
  async cancel(): Promise<CancelOutcome> {
    return 'unknown';
  }
  onEvent() {
    return () => undefined;
  }
  async close() {}
}

class RecordingChat implements ChatPort {
  readonly posted: Message[] = [];
  async post(_c: unknown, message: Message): Promise<string> {
    this.posted.push(message);
    return `m${this.posted.length}`;
  }
  async update(): Promise<void> {}
}

describe('Dispatcher: what the worker would refuse is refused before queueing, in its words', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'opsbot-refusals-'));
  mkdirSync(join(workDir, 'data'));
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  async function setUp() {
    const store = openSqliteStateStore(':memory:');
    const queue = new RecordingQueue();
    const chat = new RecordingChat();
    const config = defaultConfig();
    const dispatcher = new Dispatcher({ config, store, queue, chat, interpret: grammarInterpreter(config), log: silentLogger, datasets: datasetCheck(workDir) });
    const register = (jobId: string, params: Record<string, unknown> = {}) =>
      store.registry.registerVersion({ model: 'sentiment', createdBy: 'local::alice', jobId, dataset: 'data/sentiment.csv', datasetHash: 'h', metrics: {}, params, artifactPath: `models/sentiment/${jobId}/model.json` });
    const say = async (text: string) => {
      const result = await dispatcher.handle({ identity: alice, conversation: terminal, text });
      return { ...result, text: chat.posted.at(-1)?.text };
    };
    return { store, queue, say, register };
  }

  it('quantize of a version that is already INT8', async () => {
    const { store, queue, say, register } = await setUp();
    await register('j-fp320001');
    await register('j-int80001', { quantized: 'int8', from: 1 });
    const result = await say('quantize sentiment v2');
    expect(result.outcome).toBe('invalid');
    expect(result.text).toBe('sentiment v2 is already INT8 (quantized from v1); quantize an FP32 version');
    expect(queue.enqueued).toEqual([]);
    expect(await store.jobs.list()).toEqual([]);
  });

  it('a dataset that does not exist, or is a directory', async () => {
    const { store, queue, say } = await setUp();
    const missing = await say('train sentiment --dataset data/nope.csv');
    expect(missing.outcome).toBe('invalid');
    expect(missing.text).toBe(`dataset data/nope.csv not found (looked at ${join(workDir, 'data', 'nope.csv')}); check the path`);
    const directory = await say('train sentiment --dataset data');
    expect(directory.text).toBe('dataset data is a directory, not a file; name a file in it (.csv, .json, .jsonl, .parquet), such as data/train.csv');
    expect((await say('tune sentiment --dataset data/nope.csv')).outcome).toBe('invalid');
    expect(queue.enqueued).toEqual([]);
    expect(await store.jobs.list()).toEqual([]);
  });

  it('delete of a version deployed in any environment; another asks for confirmation first', async () => {
    const { store, queue, say, register } = await setUp();
    await register('j-aaaa0001');
    await register('j-aaaa0002');
    await store.deployments.record({ model: 'sentiment', env: 'staging', version: 1, change: 'deploy', jobId: 'j-dep00001', by: 'local::alice' });
    const refused = await say('delete sentiment v1');
    expect(refused.outcome).toBe('invalid');
    expect(refused.text).toBe('sentiment v1 is deployed in staging, so it cannot be deleted; deploy another version there (or roll back) first, then delete it');
    const asked = await say('delete sentiment v2');
    expect(asked.outcome).toBe('confirmation_requested');
    expect(asked.text).toMatch(/^This will delete sentiment v2: it removes sentiment v2 and its files for good\. Reply `confirm /);
    const prune = await say('prune sentiment --keep 3');
    expect(prune.outcome).toBe('confirmation_requested');
    expect(queue.enqueued).toEqual([]);
    expect(await store.jobs.list()).toEqual([]);
  });

  it('rollback passes over a deleted version in the deployment history', async () => {
    const { store, say, register } = await setUp();
    for (const id of ['j-aaaa0001', 'j-aaaa0002', 'j-aaaa0003']) await register(id);
    for (const [version, jobId] of [[1, 'j-dep00001'], [2, 'j-dep00002'], [3, 'j-dep00003']] as const) {
      await store.deployments.record({ model: 'sentiment', env: 'staging', version, change: 'deploy', jobId, by: 'local::alice' });
    }
    await store.registry.deleteVersion('sentiment', 2);
    expect((await say('rollback sentiment in staging')).text).toMatch(/^This will rollback sentiment v1 in staging:/);
  });
});
