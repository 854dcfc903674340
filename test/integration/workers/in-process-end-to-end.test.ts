import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OpsbotRuntime } from '../../../app/runtime.js';
import { startEmbeddedBot, type EmbeddedBot } from '../../helpers/embedded-bot.js';
import { eventually } from '../../helpers/eventually.js';
import { alice } from '../../helpers/fixtures.js';
import type { LocalChatDriver } from '../../helpers/local-chat-driver.js';
import { writeSentimentCsv } from '../../helpers/text-dataset.js';

describe('local adapter → in-process queue (the embedded default)', () => {
  let bot: EmbeddedBot;
  let dir: string;
  let runtime: OpsbotRuntime;
  let chat: LocalChatDriver;

  beforeEach(async () => {
    bot = await startEmbeddedBot({ prepare: (d) => writeSentimentCsv(d, 400) });
    ({ dir, runtime, chat } = bot);
  });

  afterEach(() => bot.stop());

  const jobOutcomes = (jobId: string) => bot.jobOutcomes(jobId);

  it('runs train with progress, a reply and audit records, and registers the version', async () => {
    chat.type('train sentiment --dataset sentiment.csv --epochs 3');
    const [, jobId] = await chat.waitFor(/Job (j-[0-9a-z]+): train sentiment on sentiment.csv — queued/);
    await chat.waitFor(/Trained sentiment v1 on 400 examples/);
    expect(chat.text).toMatch(/— running\n.*% (started|epoch)/);
    expect(await jobOutcomes(jobId as string)).toEqual(['accepted', 'started', 'completed']);
    const [version] = await runtime.store.registry.listVersions('sentiment');
    expect(version).toMatchObject({ version: 1, jobId, dataset: 'sentiment.csv', createdBy: 'local:alice' });
    expect(version?.metrics.val_accuracy).toBeGreaterThan(0.9);
  });

  it('takes a model from training through evaluate, deploy to real model servers, approval, scale and rollback', async () => {
    chat.type('train sentiment --dataset sentiment.csv --epochs 2');
    await chat.waitFor(/Trained sentiment v1/);
    chat.type('train sentiment --epochs 2');
    await chat.waitFor(/Trained sentiment v2/);
    chat.type('evaluate sentiment v1');
    await chat.waitFor(/sentiment v1 on the test split of sentiment.csv \(\d+ examples\)/);

    chat.type('deploy sentiment v1 to staging');
    const [, endpoint] = await chat.waitFor(/sentiment v1 is live in staging on the blue colour, its first deployment there, at (http:\/\/127\.0\.0\.1:\d+)\./, 30_000);
    const answer = async () => {
      const response = await fetch(`${endpoint}/v1/models/sentiment:predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ instances: ['great fast app'] }) });
      return { status: response.status, version: response.headers.get('x-opsbot-version') };
    };
    expect(await answer()).toEqual({ status: 200, version: '1' });
    chat.type('deploy sentiment v2 to staging');
    await chat.waitFor(/sentiment v2 is live in staging on the green colour, replacing v1/, 30_000);
    expect(await answer()).toEqual({ status: 200, version: '2' });

    chat.type('scale sentiment in staging to 2');
    await chat.waitFor(/sentiment v2 in staging now runs 2 replicas \(2 of 2 ready\)/, 30_000);
    chat.type('rollback sentiment in staging');
    const [, token] = await chat.waitFor(/This will rollback sentiment v1 in staging: .* Reply `confirm ([a-z0-9]{6})`/);
    chat.type(`confirm ${token}`);
    await chat.waitFor(/sentiment in staging rolled back from v2 to v1, at once: the blue colour was still warm/, 30_000);
    expect(await answer()).toEqual({ status: 200, version: '1' });
    expect(await runtime.store.deployments.current('sentiment', 'staging')).toMatchObject({ version: 1, change: 'rollback' });

    // prod waits for two approvers other than the requester: the card says so, and alice's own click is refused.
    chat.type('deploy sentiment v1 to prod');
    await chat.waitFor(/It needs 2 approvals to go live: see the approval card/, 30_000);
    const [, id] = await chat.waitFor(/Promotion of sentiment v1 to prod[\s\S]*0 of 2 approvals[\s\S]*approve (d-[0-9a-z]+)/);
    chat.type(`approve ${id}`);
    await chat.waitFor(/you asked for this deployment, so you cannot approve or reject it yourself/);

    chat.type('scale sentiment in staging to 0');
    const [, token4] = await chat.waitFor(/scaling to 0 stops sentiment from serving in staging\. Reply `confirm ([a-z0-9]{6})`/);
    chat.type(`dismiss ${token4}`);
    await chat.waitFor(/Dismissed: scale sentiment in staging to 0 replicas will not run/);
    expect((await runtime.store.audit.verify()).ok).toBe(true);
  }, 120_000);

  it('cancels a running job before it finishes and records it', async () => {
    writeSentimentCsv(dir, 20_000, 'big.csv');
    chat.type('train big --dataset big.csv --epochs 500');
    const [, jobId] = await chat.waitFor(/Job (j-[0-9a-z]+): train big/);
    await eventually('training under way', async () => (await runtime.store.jobs.get(jobId as string))?.progress?.metrics?.epoch);
    chat.type(`cancel ${jobId}`);
    await eventually('cancelled', async () => (await runtime.store.jobs.get(jobId as string))?.status === 'cancelled');
    await chat.waitFor(new RegExp(`Job ${jobId}: train big on big.csv — cancelled`));
    expect(await jobOutcomes(jobId as string)).toEqual(['accepted', 'started', 'completed', 'cancelled']);
    expect(await runtime.store.registry.listVersions('big')).toEqual([]);
    // It stopped mid-run rather than finishing its epochs.
    expect((await runtime.store.jobs.get(jobId as string))?.progress?.metrics?.epoch).toBeLessThan(500);
  }, 30_000);

  it('refuses a missing dataset before queueing, and reports a bad one as a clear failure without retrying it', async () => {
    chat.type('train sentiment --dataset missing.csv');
    await chat.waitFor(/dataset missing.csv not found \(looked at .*missing.csv\); check the path/);
    expect(await runtime.store.jobs.list()).toEqual([]);
    writeFileSync(join(dir, 'unlabelled.csv'), 'text,score\nhello,1\n');
    chat.type('train sentiment --dataset unlabelled.csv');
    await chat.waitFor(/— failed\n.*dataset unlabelled.csv has no "label" .* column; its columns are: text, score; it also has 1 row/);
    const [job] = await runtime.store.jobs.list({ limit: 1 });
    expect(job).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('refuses what RBAC does not allow, and says so', async () => {
    await bot.stop();
    bot = await startEmbeddedBot({
      prepare: (d) => writeSentimentCsv(d, 400),
      configure: (config) => {
        config.rbac.users['local:bob'] = ['viewer'];
      },
      user: { ...alice, userId: 'bob', displayName: 'bob' },
    });
    ({ dir, runtime, chat } = bot);
    chat.type('train sentiment --dataset sentiment.csv');
    await chat.waitFor(/You are not allowed to train: your roles \(viewer\) do not allow it\. .*local:bob/);
    chat.type('status');
    await chat.waitFor(/No jobs yet/);
    const [denied] = await runtime.store.audit.query({ action: 'train' });
    expect(denied).toMatchObject({ outcome: 'denied', userId: 'bob' });
  });
});
