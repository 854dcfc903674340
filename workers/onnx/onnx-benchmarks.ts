import type { TextFeaturizer } from '../training/features/text-featurizer.js';
import type { SparseVector } from '../training/features/sparse-vector.js';
import { argmax } from '../training/network/text-network.js';
import type { OnnxTextSession } from './onnx-text-session.js';

const BATCH = 64;

/** Share of examples whose most probable class is the target; a target of -1 (a label the model lacks) counts as wrong. */
export async function onnxAccuracy(session: OnnxTextSession, features: readonly SparseVector[], targets: Int32Array): Promise<number> {
  let correct = 0;
  for (let start = 0; start < features.length; start += BATCH) {
    const probabilities = await session.predict(features.slice(start, start + BATCH));
    probabilities.forEach((p, i) => {
      if (argmax(p) === targets[start + i]) correct++;
    });
  }
  return features.length === 0 ? 0 : correct / features.length;
}

export interface Latency {
  p50Ms: number;
  p99Ms: number;
}

export function percentiles(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50Ms: at(0.5), p99Ms: at(0.99) };
}

/**
 * Batch-1 latency of each session, featurisation included, over the same texts; the
 * sessions take turns text by text, so machine noise falls on all of them alike.
 */
export async function onnxLatencies(sessions: readonly OnnxTextSession[], featurizer: TextFeaturizer, texts: readonly string[]): Promise<Latency[]> {
  const samples = sessions.map(() => [] as number[]);
  for (const session of sessions) await session.predict([featurizer.featurize(texts[0] ?? '')]);
  for (const text of texts) {
    for (let s = 0; s < sessions.length; s++) {
      const started = performance.now();
      await (sessions[s] as OnnxTextSession).predict([featurizer.featurize(text)]);
      (samples[s] as number[]).push(performance.now() - started);
    }
  }
  return samples.map(percentiles);
}
