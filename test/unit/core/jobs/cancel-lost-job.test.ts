import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalWorkspace } from '../../../../bot/local/local-workspace.js';
import { cancelJob } from '../../../../core/dispatch/cancel-job.js';
import { newJobId, silentLogger } from '../../../../core/index.js';
import { openSqliteStateStore } from '../../../../store/index.js';
import { discardJobFiles } from '../../../../workers/handlers/discard-job-files.js';
import { InProcessJobQueue } from '../../../../workers/index.js';
import { alice, terminal } from '../../../helpers/fixtures.js';

describe('cancelling a running job its queue no longer holds', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'opsbot-cancel-lost-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('cancels it truthfully, deletes its trial files, and shows it in a new message where the old one is gone', async () => {
    const store = openSqliteStateStore(':memory:');
    const queue = new InProcessJobQueue({ attempts: 3, backoffMs: 10, concurrency: 2 });
    const chat = new LocalWorkspace();
    const id = newJobId();
    await store.jobs.create({ id, kind: 'tune', args: { model: 'quick', dataset: 'd.csv' }, requestedBy: alice, conversation: terminal, text: 'tune quick' });
    await store.jobs.markActive(id, 1, 'gone-worker');
    await store.jobs.setReplyRef(id, 'm7-0ld000');
    const trial = join(dir, 'models', 'quick', id, 'trial-1');
    mkdirSync(trial, { recursive: true });
    writeFileSync(join(trial, 'weights.bin'), 'x');
    try {
      const reply = await cancelJob(id, { identity: alice, conversation: terminal, text: `cancel ${id}` }, {
        store,
        queue,
        chat,
        log: silentLogger,
        discardJobFiles: (job) => discardJobFiles({ dataDir: dir, store }, job),
      });
      expect(reply.text).toBe(`Cancelled job ${id}.`);
      expect(await store.jobs.get(id)).toMatchObject({ status: 'cancelled', error: 'Cancelled by alice after its worker had stopped.' });
      expect(existsSync(join(dir, 'models', 'quick', id))).toBe(false);
      expect(chat.history().map((m) => m.message.text.split('\n')[0])).toEqual([`Job ${id}: tune quick on d.csv — cancelled`]);
    } finally {
      await queue.close();
      await store.close();
    }
  });
});
