import { buildActionSchemas } from '../core/index.js';

/** The cheapest step of parsing — zod validation of an already-structured action — as the grammar's baseline. */
export async function benchZodBaseline(iterations = 20_000): Promise<{ p50Ms: number; p99Ms: number; meanMs: number }> {
  const schemas = buildActionSchemas({ environments: ['dev', 'staging', 'prod'], maxReplicas: 50, maxEpochs: 1000, maxGpus: 8 });
  const inputs = [
    () => schemas.deploy.safeParse({ action: 'deploy', args: { model: 'sentiment', version: '2', env: 'prod' } }),
    () => schemas.train.safeParse({ action: 'train', args: { model: 'sentiment', dataset: 'data/x.csv', epochs: 5 } }),
    () => schemas.scale.safeParse({ action: 'scale', args: { model: 'sentiment', env: 'prod', replicas: 4 } }),
    () => schemas.status.safeParse({ action: 'status', args: {} }),
  ];
  for (let i = 0; i < 2000; i++) inputs[i % inputs.length]!();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    inputs[i % inputs.length]!();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return {
    p50Ms: times[Math.floor(times.length * 0.5)]!,
    p99Ms: times[Math.floor(times.length * 0.99)]!,
    meanMs: times.reduce((s, t) => s + t, 0) / times.length,
  };
}
