import { z } from 'zod';
import type { CurvePoint } from '../../core/index.js';

const metric = z.number().finite();
const metricsSchema = z
  .object({
    epoch: z.number().int().min(0),
    total_epochs: z.number().int().positive().optional(),
    loss: metric.optional(),
    accuracy: metric.optional(),
    val_loss: metric.optional(),
    val_accuracy: metric.optional(),
  })
  .catchall(z.unknown());

/** One stdout line of an external trainer, read by the protocol in PROTOCOL.md. */
export type TrainerLine =
  | { kind: 'metrics'; point: CurvePoint; totalEpochs?: number }
  /** Free-form output (progress bars, prints): not part of the protocol. */
  | { kind: 'log' }
  | { kind: 'malformed'; problem: string };

/** Lines starting with `{` are protocol messages; every other line is the trainer's own log. */
export function parseTrainerLine(line: string): TrainerLine {
  const text = line.trim();
  if (!text.startsWith('{')) return { kind: 'log' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'malformed', problem: 'not valid JSON (NaN and Infinity are not JSON)' };
  }
  const parsed = metricsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { kind: 'malformed', problem: `${issue?.path.join('.') || 'line'}: ${issue?.message ?? 'invalid'}` };
  }
  const { total_epochs: totalEpochs, ...fields } = parsed.data;
  const point: CurvePoint = { epoch: fields.epoch };
  // Other numeric fields are metrics too (f1, lr, …); anything else is ignored.
  for (const [key, value] of Object.entries(fields)) if (typeof value === 'number' && Number.isFinite(value)) point[key] = value;
  return totalEpochs === undefined ? { kind: 'metrics', point } : { kind: 'metrics', point, totalEpochs };
}
