import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.js';

/**
 * The parsed JSON body of a request, refused with a clear error when it is too big (413),
 * is not JSON by its Content-Type (415) or by its content (400). A missing Content-Type is
 * read as JSON: the KServe and Triton clients send none with their JSON bodies.
 */
export function readJsonBody(request: IncomingMessage, maxBytes: number): Promise<unknown> {
  return readInferenceBody(request, maxBytes, false).then(jsonOf);
}

const jsonOf = (body: { json: unknown }) => body.json;
const JSON_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;

/**
 * The body of an inference request: its JSON, and with Triton's binary tensor data extension
 * (an Inference-Header-Content-Length header giving the JSON's length) the bytes after it.
 */
export async function readInferenceBody(request: IncomingMessage, maxBytes: number, binaryAllowed = true): Promise<{ json: unknown; binary?: Buffer }> {
  const { headers } = request;
  const header = headers['inference-header-content-length'];
  const jsonLength = binaryAllowed && typeof header === 'string' ? Number(header) : undefined;
  const type = headers['content-type'];
  const binaryType = jsonLength !== undefined && type !== undefined && /^application\/octet-stream\s*(;|$)/i.test(type);
  if (type !== undefined && type !== 'application/json' && !binaryType && !JSON_TYPE.test(type)) {
    throw new HttpError(415, `the request body must be JSON (Content-Type: application/json), not ${type.split(';')[0]}`);
  }
  const declared = Number(headers['content-length'] ?? Number.NaN);
  if (declared > maxBytes) throw new HttpError(413, `the request body is ${declared} bytes; the limit is ${maxBytes}`);
  const body = await readBody(request, maxBytes);
  if (jsonLength !== undefined && (!Number.isInteger(jsonLength) || jsonLength < 0 || jsonLength > body.length)) {
    throw new HttpError(400, `Inference-Header-Content-Length is ${header}, but the body has ${body.length} bytes`);
  }
  const text = (jsonLength === undefined ? body : body.subarray(0, jsonLength)).toString('utf8');
  if (text.length === 0) throw new HttpError(400, 'the request body is empty; send a JSON object');
  try {
    const json: unknown = JSON.parse(text);
    return jsonLength === undefined ? { json } : { json, binary: body.subarray(jsonLength) };
  } catch (error) {
    throw new HttpError(400, `the request body is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * The body, up to `maxBytes`. Past the limit the rest is read and dropped rather than the
 * stream destroyed, which would take the socket and the 413 answer with it. Plain `on`
 * listeners (the request is gone after this one body): `once` wraps each in another closure.
 */
function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let first: Buffer | undefined;
    let more: Buffer[] | undefined;
    let size = 0;
    let ended = false;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        request.off('data', onData);
        request.resume();
        return reject(new HttpError(413, `the request body is over the limit of ${maxBytes} bytes`));
      }
      if (first === undefined) first = chunk;
      else (more ??= [first]).push(chunk);
    };
    request.on('data', onData);
    request.on('end', () => {
      ended = true;
      resolve(more ? Buffer.concat(more) : (first ?? Buffer.alloc(0)));
    });
    request.on('error', reject);
    // A client gone mid-body: the request must still end, or the drain would wait for it.
    request.on('close', () => ended || reject(new HttpError(400, 'the client closed the connection before the body ended')));
  });
}
