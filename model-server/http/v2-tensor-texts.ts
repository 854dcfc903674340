import { HttpError } from './http-error.js';
import type { RequestInput } from './v2-schemas.js';

/** The one input tensor the served models take: a batch of texts. */
export const TEXT_INPUT = 'text';

/**
 * The texts of a BYTES input of shape [n] or [n, 1], its data flat or nested as the
 * spec allows. BYTES elements are UTF-8 strings (content_type "str", MLServer's
 * default), or base64 with content_type "base64".
 */
export function tensorTexts(input: RequestInput, model: string): string[] {
  if (input.name !== TEXT_INPUT) throw new HttpError(400, `unexpected inference input '${input.name}' for model '${model}': it takes one BYTES input named '${TEXT_INPUT}'`);
  if (input.datatype !== 'BYTES') throw new HttpError(400, `input '${TEXT_INPUT}' must have datatype BYTES (texts), not ${input.datatype}`);
  const { shape } = input;
  if (shape.length < 1 || shape.length > 2 || (shape.length === 2 && shape[1] !== 1)) {
    throw new HttpError(400, `input '${TEXT_INPUT}' must have shape [n] or [n, 1], not [${shape.join(', ')}]`);
  }
  const rows = shape[0] as number;
  if (rows === 0) throw new HttpError(400, `input '${TEXT_INPUT}' holds no texts (shape [0])`);
  const flat = input.data.flat(2);
  if (flat.length !== rows) throw new HttpError(400, `input '${TEXT_INPUT}' has shape [${shape.join(', ')}] but ${flat.length} data elements`);
  const contentType = input.parameters?.content_type;
  if (contentType !== undefined && contentType !== 'str' && contentType !== 'base64') {
    throw new HttpError(400, `input '${TEXT_INPUT}' has content_type ${String(contentType)}; use "str" (UTF-8 texts) or "base64"`);
  }
  return flat.map((element, i) => {
    if (typeof element !== 'string') throw new HttpError(400, `element ${i} of input '${TEXT_INPUT}' is not a string: BYTES data must be texts`);
    return contentType === 'base64' ? Buffer.from(element, 'base64').toString('utf8') : element;
  });
}
