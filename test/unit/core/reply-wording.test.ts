import { statusReply } from '../../../core/dispatch/status-reply.js';
import { curveReply } from '../../../core/dispatch/curve-reply.js';
import type { ChartRenderer } from '../../../core/index.js';
import type { JobPlacement } from '../../../core/queue/job-placement.js';
import { openSqliteStateStore } from '../../../store/index.js';
import { alice, terminal } from '../../helpers/fixtures.js';

describe('reply wording', () => {
  it('says "1 child job", not "1 child jobs", for a tune waiting on its trials', async () => {
    const store = openSqliteStateStore(':memory:');
    await store.jobs.create({ id: 'j-tune0001', kind: 'tune', args: { model: 'sentiment' }, requestedBy: alice, conversation: terminal, text: 'tune sentiment' });
    await store.jobs.markActive('j-tune0001', 1, 'w');
    const placement: JobPlacement = { state: 'waiting-children', queue: 'tune', gpusNeeded: 0, children: { running: 1, waiting: 2, finished: 3 } };
    const reply = await statusReply(store.jobs, undefined, { describe: async () => placement, workers: async () => [] });
    expect(reply.text).toMatch(/\(1 child job running, 2 waiting\)/);
    await store.close();
  });

  it('writes a tiny final validation loss with its digits, not as 0.0000', async () => {
    const store = openSqliteStateStore(':memory:');
    await store.jobs.create({ id: 'j-train001', kind: 'train', args: { model: 'sentiment' }, requestedBy: alice, conversation: terminal, text: 'train sentiment' });
    await store.jobs.finish('j-train001', { status: 'completed', result: { summary: 'done', history: [{ epoch: 1, loss: 1e-5, accuracy: 1, val_loss: 3.85e-6, val_accuracy: 1 }] } });
    const charts = { trainingCurve: async () => new Uint8Array([1]) } as unknown as ChartRenderer;
    expect((await curveReply(store.jobs, 'j-train001', charts)).text).toBe('Training curve of sentiment (j-train001): 1 epoch, final validation loss 3.85e-6.');
    await store.close();
  });
});
