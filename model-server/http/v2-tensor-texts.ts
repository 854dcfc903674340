import { HttpError } from './http-error.js';
import type { RequestInput } from './v2-schemas.js';

/** The one input tensor the served models take: a batch of texts. */
export const TEXT_INPUT = 'text';

/**
 * The texts of a BYTES input of shape [n] or [n, 1], its data flat or nested as the
 * spec allows. BYTES elements are UTF-8 strings (content_type "str", MLServer's
 * default), or base64 with content_type "base64"; or, with Triton's binary tensor data
 * extension, each a 4-byte little-endian length and its bytes after the JSON.
 */
export function tensorTexts(input: RequestInput, model: string, binary?: Buffer): string[] {
  if (input.name !== TEXT_INPUT) throw new HttpError(400, `unexpected inference input '${input.name}' for model '${model}': it takes one BYTES input named '${TEXT_INPUT}'`);
  if (input.datatype !== 'BYTES') throw new HttpError(400, `input '${TEXT_INPUT}' must have datatype BYTES (texts), not ${input.datatype}`);
  const { shape } = input;
  if (shape.length < 1 || shape.length > 2 || (shape.length === 2 && shape[1] !== 1)) {
    throw new HttpError(400, `input '${TEXT_INPUT}' must have shape [n] or [n, 1], not [${shape.join(', ')}]`);
  }
  const rows = shape[0] as number;
  if (rows === 0) throw new HttpError(400, `input '${TEXT_INPUT}' holds no texts (shape [0])`);
  const flat = binaryElements(input, binary) ?? input.data?.flat(2);
  if (flat === undefined) throw new HttpError(400, `input '${TEXT_INPUT}' has no data (neither "data" nor parameters.binary_data_size)`);
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

function binaryElements(input: RequestInput, binary: Buffer | undefined): string[] | undefined {
  const size = input.parameters?.binary_data_size;
  if (size === undefined) return undefined;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 0 || binary === undefined || size > binary.length) {
    throw new HttpError(400, `input '${TEXT_INPUT}' declares binary_data_size ${String(size)}, but the request carries ${binary?.length ?? 0} bytes of binary data (Inference-Header-Content-Length)`);
  }
  const elements: string[] = [];
  for (let at = 0; at < size; ) {
    if (at + 4 > size) throw new HttpError(400, `input '${TEXT_INPUT}': its binary data ends inside an element's 4-byte length`);
    const length = binary.readUInt32LE(at);
    if (at + 4 + length > size) throw new HttpError(400, `input '${TEXT_INPUT}': a binary element of ${length} bytes runs past binary_data_size`);
    elements.push(binary.toString('utf8', at + 4, at + 4 + length));
    at += 4 + length;
  }
  return elements;
}
