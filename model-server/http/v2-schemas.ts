import { z } from 'zod';

/** The Open Inference Protocol's JSON shapes (KServe docs/predict-api/v2/required_api.md), as far as a text classifier reads them. */
export const parametersSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]), { error: 'parameters must map names to strings, numbers or booleans' });

export const requestInputSchema = z.object({
  name: z.string(),
  shape: z.array(z.number().int().min(0), { error: 'shape must be an array of whole numbers' }),
  datatype: z.string(),
  parameters: parametersSchema.optional(),
  /** Absent when the tensor travels as binary data after the JSON (parameters.binary_data_size). */
  data: z.array(z.unknown(), { error: 'data must be an array' }).optional(),
});

export const inferenceRequestSchema = z.object({
  id: z.string().optional(),
  parameters: parametersSchema.optional(),
  inputs: z.array(requestInputSchema).min(1, 'inputs must hold the text tensor'),
  outputs: z.array(z.object({ name: z.string(), parameters: parametersSchema.optional() })).optional(),
});
export type InferenceRequest = z.infer<typeof inferenceRequestSchema>;
export type RequestInput = z.infer<typeof requestInputSchema>;
export type Parameters = z.infer<typeof parametersSchema>;

export interface ResponseOutput {
  name: string;
  shape: number[];
  datatype: 'BYTES' | 'FP32';
  parameters?: Parameters;
  data: Array<string | number>;
}
