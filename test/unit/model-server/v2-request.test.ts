import { HttpError } from '../../../model-server/http/http-error.js';
import { parseInferenceRequest } from '../../../model-server/http/v2-request.js';
import { inferenceRequestSchema } from '../../../model-server/http/v2-schemas.js';

/** The fields the routes read (unknown keys are ignored either way: zod drops them, the hand check leaves them). */
const read = (request: ReturnType<typeof parseInferenceRequest>) =>
  JSON.parse(
    JSON.stringify({
      id: request.id,
      parameters: request.parameters,
      inputs: request.inputs.map(({ name, shape, datatype, parameters, data }) => ({ name, shape, datatype, parameters, data })),
      outputs: request.outputs?.map(({ name, parameters }) => ({ name, parameters })),
    }),
  ) as unknown;

const input = (extra: Record<string, unknown> = {}) => ({ name: 'text', datatype: 'BYTES', shape: [1], data: ['fast'], ...extra });

/** The hand-written check of well-formed requests agrees with the schema on every body: same acceptance, the same fields read, the same error. */
describe('parseInferenceRequest', () => {
  const bodies: unknown[] = [
    { inputs: [input()] },
    { id: 'req-1', parameters: { trace: true, n: 2, s: 'x' }, inputs: [input({ parameters: { content_type: 'base64' } })], outputs: [{ name: 'label', parameters: { binary_data: false } }] },
    { inputs: [input({ data: undefined, parameters: { binary_data_size: 12 } })] },
    { inputs: [input({ shape: [3, 1], data: [['a'], ['b'], ['c']] })], extra: 'ignored' },
    { inputs: [] },
    { id: 7, inputs: [input()] },
    { id: null, inputs: [input()] },
    { inputs: [input({ shape: [1.5] })] },
    { inputs: [input({ shape: [-1] })] },
    { inputs: [input({ shape: [2 ** 60] })] },
    { inputs: [input({ shape: 'x' })] },
    { inputs: [input({ datatype: 3 })] },
    { inputs: [input({ data: 'fast' })] },
    { inputs: [input({ parameters: { nested: { no: true } } })] },
    { inputs: [input({ parameters: ['a'] })] },
    { inputs: [input()], outputs: [{ name: 5 }] },
    { inputs: [input()], outputs: { name: 'label' } },
    { inputs: [input()], parameters: null },
    { inputs: 'text' },
    { id: 'x' },
    [{ inputs: [input()] }],
    null,
    'inputs',
    42,
  ];

  it.each(bodies.map((body) => [JSON.stringify(body), body]))('%s', (_text, body) => {
    const expected = inferenceRequestSchema.safeParse(body);
    if (expected.success) {
      expect(read(parseInferenceRequest(body))).toEqual(read(expected.data));
    } else {
      let error: unknown;
      try {
        parseInferenceRequest(body);
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HttpError).message).toMatch(/^invalid inference request: /);
    }
  });
});
