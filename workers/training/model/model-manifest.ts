import { z } from 'zod';
import { featurizerConfigSchema } from '../features/featurizer-config.js';
import { NETWORK_KINDS } from '../network/text-network.js';

export const MODEL_FORMAT = 'opsbot-text-classifier';

const tensorSchema = z.object({
  name: z.string(),
  dtype: z.enum(['float32', 'int8']),
  /** Byte offset in the weights file (4-byte aligned). */
  offset: z.number().int().min(0),
  /** Element count. */
  length: z.number().int().min(0),
});
export type TensorEntry = z.infer<typeof tensorSchema>;

/**
 * `model.json`: everything needed to rebuild the model except the numbers. Format 2
 * reads the network's weights from the ONNX file's initializers and lists in `tensors`
 * only what is in the little-endian weights file (the IDF); format 1 (older versions
 * on disk) listed every tensor there. Checked with zod when read: it comes
 * from disk and may be from another opsbot version.
 */
export const modelManifestSchema = z.object({
  format: z.literal(MODEL_FORMAT),
  formatVersion: z.union([z.literal(1), z.literal(2)]),
  kind: z.enum(NETWORK_KINDS),
  precision: z.enum(['fp32', 'int8']),
  labels: z.array(z.string()).min(2),
  featurizer: featurizerConfigSchema,
  layers: z.array(z.object({ rows: z.number().int().min(1), cols: z.number().int().min(1) })).min(1).max(2),
  weightsFile: z.string(),
  onnxFile: z.string(),
  tensors: z.array(tensorSchema),
}).refine(
  (m) => {
    const [first, second] = m.layers;
    const last = second ?? first;
    return (
      m.layers.length === (m.kind === 'mlp' ? 2 : 1) &&
      first?.rows === m.featurizer.dimensions &&
      last?.cols === m.labels.length &&
      (second === undefined || second.rows === first?.cols)
    );
  },
  { error: 'the layer shapes do not fit the featurizer, the labels or each other' },
);
export type ModelManifest = z.infer<typeof modelManifestSchema>;
