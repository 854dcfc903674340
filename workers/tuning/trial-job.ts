import { z } from 'zod';
import { ALGORITHMS } from '../../core/index.js';
import { featurizerConfigSchema, type TrainedSummary } from '../training/index.js';
import type { SearchPoint } from './search-space.js';

/**
 * What crosses the queue between a tune job and its trials, validated on arrival:
 * a trial's `data` (which point of the search it trains) and the `output` it hands
 * back (its scores, or why it failed).
 */

export const trialDataSchema = z.object({
  trial: z.number().int().min(1),
  /** Trials in the whole search, and how many had finished when this one was queued: for its progress line. */
  trials: z.number().int().min(1),
  done: z.number().int().min(0),
  point: z.record(z.string(), z.union([z.number(), z.string()])),
});
export type TrialData = z.infer<typeof trialDataSchema> & { point: SearchPoint };

const splitScore = z.object({ examples: z.number(), loss: z.number(), accuracy: z.number(), macroF1: z.number() });
const epochMetrics = z.object({ epoch: z.number(), loss: z.number(), accuracy: z.number(), valLoss: z.number(), valAccuracy: z.number() });

const trainedSummarySchema = z.object({
  datasetHash: z.string(),
  classBalance: z.record(z.string(), z.object({ train: z.number(), validation: z.number(), test: z.number() })),
  settings: z.object({
    featurizer: featurizerConfigSchema,
    hidden: z.number(),
    batchSize: z.number(),
    learningRate: z.number(),
    l2: z.number(),
    patience: z.number(),
    minDelta: z.number(),
  }),
  history: z.array(epochMetrics),
  bestEpoch: z.number(),
  validation: splitScore,
  test: splitScore.optional(),
  network: z.object({ kind: z.enum(ALGORITHMS), labels: z.array(z.string()) }),
  exported: z.object({ onnxBytes: z.number() }).optional(),
});

/**
 * A trial that trained hands back its summary; one that failed in a way other
 * settings could avoid (diverged) says why, and the search goes on; `permanent`
 * failures (a bad dataset) end the whole search, since every trial would meet them.
 */
export const trialOutputSchema = z.intersection(
  z.object({ worker: z.string() }),
  z.union([z.object({ trained: trainedSummarySchema }), z.object({ error: z.string(), permanent: z.boolean() })]),
);
export type TrialRun = { trained: TrainedSummary } | { error: string; permanent: boolean };
/** `worker`: which worker ran it, for the result's tally of where trials ran. */
export type TrialOutput = TrialRun & { worker: string };
