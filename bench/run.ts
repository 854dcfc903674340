import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { alertsMarkdown, benchEvaluator, benchReceiver } from './alerts.bench.js';
import { benchFootprint } from './footprint.bench.js';
import { benchGrammar } from './grammar.bench.js';
import { benchIntents } from './intents.bench.js';
import { benchModelServer, modelServerMarkdown } from './model-server.bench.js';
import { benchQueueThroughput } from './queue-throughput.bench.js';
import { benchRollback, rollbackMarkdown } from './rollback.bench.js';
import { benchSlackAck, slackAckMarkdown } from './slack-ack.bench.js';
import { benchTraining } from './training.bench.js';
import { benchZodBaseline } from './zod-baseline.bench.js';

/**
 * `npm run bench`: every figure is measured next to a baseline in the same run (these
 * machines are noisy), and written to BENCHMARKS.md as absolute numbers and ratios.
 */
const grammar = await benchGrammar();
const zod = await benchZodBaseline();
const queue = await benchQueueThroughput();
const training = await benchTraining();
const modelServer = await benchModelServer();
const footprint = await benchFootprint();
const slackAck = await benchSlackAck();
const intents = await benchIntents();
const rollback = await benchRollback();
const alertReceiver = await benchReceiver();
const alertEvaluator = await benchEvaluator();

const fmt = (n: number, digits = 3) => n.toFixed(digits);
const lines = [
  '# Benchmarks',
  '',
  `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}. Each figure sits next to a baseline measured in the same run.`,
  '',
  '## Grammar parse latency',
  '',
  `${grammar.utterances} parses of a realistic mix of valid commands and typical mistakes, one at a time.`,
  '',
  '| measure | grammar (text → validated action) | baseline: zod validation of an already-parsed action | ratio | target |',
  '|---|---|---|---|---|',
  `| p50 | ${fmt(grammar.p50Ms, 4)} ms | ${fmt(zod.p50Ms, 4)} ms | ${fmt(grammar.p50Ms / zod.p50Ms, 1)}× | — |`,
  `| p99 | ${fmt(grammar.p99Ms, 4)} ms | ${fmt(zod.p99Ms, 4)} ms | ${fmt(grammar.p99Ms / zod.p99Ms, 1)}× | < 0.2 ms (${grammar.p99Ms < 0.2 ? 'met' : 'MISSED'}) |`,
  `| mean | ${fmt(grammar.meanMs, 4)} ms | ${fmt(zod.meanMs, 4)} ms | ${fmt(grammar.meanMs / zod.meanMs, 1)}× | — |`,
  '',
  '## Queue throughput: opsbot\'s queue layer vs raw BullMQ',
  '',
  'No-op jobs on the local Redis, enqueued all at once and processed by one worker; median of 3 alternating rounds. Raw BullMQ is a `Queue` + `Worker`; opsbot is `BullmqJobQueue.enqueue` + `startBullmqWorker` (payload validation with zod, cancellation wiring, job context).',
  '',
  '| concurrency | jobs | raw BullMQ (jobs/s) | opsbot layer (jobs/s) | opsbot / raw | target |',
  '|---|---|---|---|---|---|',
  ...queue.map(
    (r) =>
      `| ${r.concurrency} | ${r.jobs} | ${fmt(r.rawJobsPerSecond, 0)} | ${fmt(r.opsbotJobsPerSecond, 0)} | ${fmt(r.opsbotJobsPerSecond / r.rawJobsPerSecond, 2)} | ≥ 0.90 (${r.opsbotJobsPerSecond / r.rawJobsPerSecond >= 0.9 ? 'met' : 'MISSED'}) |`,
  ),
  '',
  '## Training and inference: the built-in trainer vs Naive Bayes and NLP.js',
  '',
  training.markdown,
  '',
  modelServerMarkdown(modelServer),
  '',
  rollbackMarkdown(rollback),
  '',
  alertsMarkdown(alertReceiver, alertEvaluator),
  '',
  slackAckMarkdown(slackAck),
  '',
  '## Natural language: opsbot\'s own intent model vs NLP.js',
  '',
  intents.markdown,
  '',
  '## Footprint: `opsbot serve` vs a minimal Bolt app',
  '',
  footprint.markdown,
  '',
];
writeFileSync('BENCHMARKS.md', `${lines.join('\n')}`);
process.stdout.write(`${lines.join('\n')}\n`);
process.exit(0);
