import {
  JobRelay,
  silentLogger,
  type ChartRenderer,
  type ChatPort,
  type ConversationRef,
  type JobAction,
  type JobResult,
  type Logger,
  type Message,
  type StateStore,
} from '../../../core/index.js';
import { openSqliteStateStore } from '../../../store/index.js';
import { VegaChartRenderer } from '../../../workers/charts/index.js';
import { InProcessJobQueue } from '../../../workers/in-process/in-process-job-queue.js';
import { alice } from '../../helpers/fixtures.js';
import { decodePng } from '../../helpers/png.js';

/** Every post and update, in order, with where it went. */
class RecordingChat implements ChatPort {
  readonly events: Array<{ kind: 'post' | 'update'; conversation: ConversationRef; message: Message }> = [];
  async post(conversation: ConversationRef, message: Message): Promise<string> {
    this.events.push({ kind: 'post', conversation, message });
    return `m${this.events.length}`;
  }
  async update(conversation: ConversationRef, _ref: string, message: Message): Promise<void> {
    this.events.push({ kind: 'update', conversation, message });
  }
  images() {
    return this.events.flatMap((event) => event.message.blocks.flatMap((block) => (block.type === 'image' ? [{ ...block, at: event }] : [])));
  }
}

class FailingCharts implements ChartRenderer {
  async trainingCurve(): Promise<Uint8Array> {
    throw new Error('no fonts');
  }
  async confusionMatrix(): Promise<Uint8Array> {
    throw new Error('no fonts');
  }
}

const thread: ConversationRef = { platform: 'local', workspace: '', channelId: 'ml-ops', threadId: 't-42' };
const history = [1, 2, 3].map((epoch) => ({ epoch, loss: 1 / epoch, accuracy: 1 - 0.3 / epoch, val_loss: 1.1 / epoch, val_accuracy: 1 - 0.4 / epoch }));
const confusion = { labels: ['neg', 'pos'], counts: [[8, 2], [1, 9]] };

describe('JobRelay charts and buttons (in-process queue)', () => {
  let store: StateStore;
  let queue: InProcessJobQueue;
  let chat: RecordingChat;
  let relay: JobRelay;
  let results: Map<string, JobResult | Error>;
  let warnings: string[];

  function start(charts: ChartRenderer | undefined): void {
    const log: Logger = { ...silentLogger, warn: (_fields: object, message: string) => warnings.push(message) };
    relay = new JobRelay({ queue, jobs: store.jobs, chat, log, charts }, 0);
    relay.start();
  }

  beforeEach(() => {
    store = openSqliteStateStore(':memory:');
    queue = new InProcessJobQueue({ attempts: 1, backoffMs: 0, concurrency: 1 });
    chat = new RecordingChat();
    results = new Map();
    warnings = [];
    // Stands in for the job runner: records the outcome as the runner does, then returns it.
    queue.startWorker(async (job, context) => {
      await store.jobs.markActive(job.jobId, context.attempt, context.workerId);
      const outcome = results.get(job.jobId);
      if (outcome instanceof Error) {
        await store.jobs.finish(job.jobId, { status: 'failed', error: `Failed: ${outcome.message}` });
        throw outcome;
      }
      await store.jobs.finish(job.jobId, { status: 'completed', result: outcome ?? { summary: 'done' } });
      return outcome ?? { summary: 'done' };
    }, 'w-test');
  });

  afterEach(async () => {
    relay.stop();
    await queue.close();
    await relay.settled();
    await store.close();
  });

  async function run(id: string, action: JobAction, outcome: JobResult | Error): Promise<void> {
    results.set(id, outcome);
    await store.jobs.create({ id, kind: action.action, args: action.args, requestedBy: alice, conversation: thread, text: 'typed' });
    await queue.enqueue({ jobId: id, action, requestedBy: alice, conversation: thread });
    await queue.whenIdle();
    await relay.settled();
  }

  it('posts the training curve in the thread after the completed job message', async () => {
    start(new VegaChartRenderer());
    await run('j-train1', { action: 'train', args: { model: 'sentiment', dataset: 'sentiment.csv' } }, {
      summary: 'Trained sentiment v1',
      history,
      nextSteps: [{ label: 'Evaluate', command: 'evaluate sentiment v1' }],
    });
    const last = chat.events.at(-1);
    expect(last?.kind).toBe('post');
    expect(last?.conversation).toEqual(thread);
    const [image] = chat.images();
    expect(image?.title).toBe('Training curve of sentiment (j-train1)');
    const png = decodePng(image?.png ?? new Uint8Array());
    expect([png.width, png.height]).toEqual([1200, 600]);
    const final = chat.events.at(-2);
    expect(final?.message.text).toMatch(/Job j-train1: train sentiment on sentiment.csv — completed/);
    expect(final?.message.blocks).toContainEqual({ type: 'buttons', buttons: [{ label: 'Evaluate', command: 'evaluate sentiment v1', style: 'primary' }] });
  });

  it('posts the confusion matrix of a completed evaluation', async () => {
    start(new VegaChartRenderer());
    await run('j-eval1', { action: 'evaluate', args: { model: 'sentiment', version: '2' } }, { summary: 'sentiment v2: accuracy 85.0%', confusion });
    const images = chat.images();
    expect(images).toHaveLength(1);
    expect(images[0]?.title).toBe('Confusion matrix of sentiment v2 (j-eval1)');
    expect(images[0]?.at.conversation).toEqual(thread);
    expect(decodePng(images[0]?.png ?? new Uint8Array()).width).toBe(1000);
  });

  it('posts no chart without a renderer, for a failed job or for a result with nothing to draw', async () => {
    start(undefined);
    await run('j-train2', { action: 'train', args: { model: 'sentiment' } }, { summary: 'done', history });
    relay.stop();
    start(new FailingCharts());
    await run('j-train3', { action: 'train', args: { model: 'sentiment' } }, new Error('dataset missing'));
    await run('j-train4', { action: 'train', args: { model: 'sentiment' } }, { summary: 'done', history: [] });
    await run('j-scale1', { action: 'scale', args: { model: 'sentiment', env: 'dev', replicas: 2 } }, { summary: 'scaled' });
    expect(chat.images()).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('still shows the result when the chart cannot be drawn, and says why in the log', async () => {
    start(new FailingCharts());
    await run('j-eval2', { action: 'evaluate', args: { model: 'sentiment', version: '2' } }, { summary: 'sentiment v2: accuracy 85.0%', confusion });
    expect(chat.events.at(-1)?.message.text).toMatch(/— completed\nsentiment v2: accuracy 85.0%/);
    expect(chat.images()).toEqual([]);
    expect(warnings).toEqual(['could not post the chart of a job']);
  });
});
