import { formatIssues } from './format-issues.js';
import { HttpError } from './http-error.js';
import { inferenceRequestSchema, type InferenceRequest } from './v2-schemas.js';

/**
 * An inference request's JSON as the schema reads it. Well-formed requests (nearly all) are
 * checked by hand, accepting only what inferenceRequestSchema accepts, because zod's parse was
 * the largest share of a request's validation time; anything else goes to the schema, which
 * finds and words the problem exactly as before.
 */
export function parseInferenceRequest(body: unknown): InferenceRequest {
  if (isWellFormed(body)) return body;
  const parsed = inferenceRequestSchema.safeParse(body);
  if (!parsed.success) throw new HttpError(400, `invalid inference request: ${formatIssues(parsed.error)}`);
  return parsed.data;
}

type Fields = Record<string, unknown>;
const isObject = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);
const optional = (value: unknown, check: (value: unknown) => boolean) => value === undefined || check(value);

function isParameters(value: unknown): boolean {
  if (!isObject(value)) return false;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const type = typeof value[key];
    if (type !== 'string' && type !== 'number' && type !== 'boolean') return false;
  }
  return true;
}

const isWholeNumber = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;

function isInput(value: unknown): boolean {
  return (
    isObject(value) &&
    typeof value.name === 'string' &&
    Array.isArray(value.shape) &&
    value.shape.every(isWholeNumber) &&
    typeof value.datatype === 'string' &&
    optional(value.parameters, isParameters) &&
    optional(value.data, Array.isArray)
  );
}

const isOutput = (value: unknown) => isObject(value) && typeof value.name === 'string' && optional(value.parameters, isParameters);

function isWellFormed(body: unknown): body is InferenceRequest {
  return (
    isObject(body) &&
    optional(body.id, (id) => typeof id === 'string') &&
    optional(body.parameters, isParameters) &&
    Array.isArray(body.inputs) &&
    body.inputs.length > 0 &&
    body.inputs.every(isInput) &&
    optional(body.outputs, (outputs) => Array.isArray(outputs) && outputs.every(isOutput))
  );
}
