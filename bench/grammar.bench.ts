import { pathToFileURL } from 'node:url';
import { createCommandParser, type GrammarContext } from '../intents/index.js';

/** The default config's environments and limits, and a small model registry. */
const CONTEXT: GrammarContext = {
  limits: { environments: ['dev', 'staging', 'prod'], maxReplicas: 50, maxEpochs: 1000, maxGpus: 8 },
  environments: [
    { name: 'dev', aliases: ['development'] },
    { name: 'staging', aliases: ['stage', 'stg'] },
    { name: 'prod', aliases: ['production', 'prd'] },
  ],
  knownModels: ['sentiment', 'fraud-detector', 'churn', 'ranker', 'spam-filter'],
};

/** What people type in a channel: mostly valid commands, with the usual typos and mistakes. */
const UTTERANCES: readonly string[] = [
  'deploy sentiment v2 to production',
  'deploy sentiment to staging',
  'ship churn latest to prd',
  '/opsbot deploy fraud-detector:7 to stage',
  '@opsbot deploy sentiment@3 to prod',
  'deploy sentiment --version 4 --env prod',
  'train sentiment on data/x.csv for 5 epochs with 2 gpus',
  'train churn --dataset data/churn.parquet --epochs 20 --gpus 1',
  'retrain fraud-detector 3 epochs 1 gpu',
  'train new-model epochs=10 gpus=0',
  'evaluate sentiment v3 on data/test.csv',
  'eval churn latest',
  'assess ranker previous against data/holdout.csv',
  'rollback sentiment in prod to v2',
  'roll back churn from production',
  'revert spam-filter on staging',
  'scale sentiment in prod to 4',
  'scale churn in dev --min 2 --max 8',
  'scale ranker in stg between 2 and 8',
  'scale sentiment from prod to 3 replicas',
  'status',
  'status j-4f9k2a',
  'jobs',
  'cancel j-4f9k2a',
  'kill --job j-abc123def',
  'audit',
  'audit verify',
  'audit --user alice --action deploy --limit 20',
  'audit since 24h',
  'audit --since 2026-01-31 --model sentiment',
  'help',
  'help deploy',
  'deploy --help',
  // invalid
  '',
  'deplyo sentiment to prod',
  'banana',
  'deploy sentimnt to prod',
  'deploy xgboost to prod',
  'deploy Sentiment to prod',
  'deploy sentiment',
  'deploy sentiment to stagin',
  'deploy sentiment banana to prod',
  'train sentiment --epochs five',
  'train sentiment --epochs 5 --epochs 6',
  'scale sentiment in prod to 99',
  'train sent;rm -rf /',
  'cancel',
  'status xyz',
  'deploy "sentiment to prod',
  'audit --since yesterday',
  'x'.repeat(100 * 1024),
];

const WARM_UP = 2_000;
const PARSES = 20_000;

/** Times each parse of a prepared parser over a realistic mix of valid and invalid commands. */
export async function benchGrammar(): Promise<{ utterances: number; p50Ms: number; p99Ms: number; meanMs: number }> {
  const parse = createCommandParser(CONTEXT);
  for (let i = 0; i < WARM_UP; i++) parse(UTTERANCES[i % UTTERANCES.length]!);
  const times = new Float64Array(PARSES);
  for (let i = 0; i < PARSES; i++) {
    const text = UTTERANCES[i % UTTERANCES.length]!;
    const started = process.hrtime.bigint();
    parse(text);
    times[i] = Number(process.hrtime.bigint() - started) / 1e6;
  }
  times.sort();
  const mean = times.reduce((sum, t) => sum + t, 0) / PARSES;
  const at = (q: number) => times[Math.min(PARSES - 1, Math.floor(q * PARSES))]!;
  return { utterances: PARSES, p50Ms: at(0.5), p99Ms: at(0.99), meanMs: mean };
}

// `npx tsx bench/grammar.bench.ts` prints the figures.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await benchGrammar()));
}
