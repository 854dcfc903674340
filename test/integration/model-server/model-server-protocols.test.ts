/**
 * @jest-environment ./test/helpers/onnx-environment.ts
 */
import { request as httpRequest } from 'node:http';
import { ModelServer, loadServedModel, type ServedModel } from '../../../model-server/index.js';
import { call, metricValue } from '../../helpers/model-server-client.js';
import { trainServableModel, type ServableModel } from '../../helpers/servable-model.js';

/** A POST without Content-Length (chunked), so only reading the body finds it too big. */
function chunkedPost(url: string, payload: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    });
    request.on('error', reject);
    for (let at = 0; at < payload.length; at += 1000) request.write(payload.slice(at, at + 1000));
    request.end();
  });
}

const infer = (input: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ inputs: [{ name: 'text', datatype: 'BYTES', shape: [1], data: ['fast'], ...input }], ...extra });

/** KServe V1 and the Open Inference Protocol against a real trained model in onnxruntime-node. */
describe('model server protocols', () => {
  let trained: ServableModel;
  let server: ModelServer;
  let url: string;

  beforeAll(async () => {
    trained = await trainServableModel();
    server = await ModelServer.start({ name: 'sentiment', version: 1, load: () => loadServedModel(trained.dataDir, trained.fp32), options: { port: 0, maxTextsPerRequest: 8, maxTextChars: 200, maxBodyBytes: 4096 } });
    await server.ready;
    url = server.url;
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await trained?.harness.close();
  });

  it('V1 predict answers a label and every class probability per instance, as the model itself computes them', async () => {
    const response = await call(`${url}/v1/models/sentiment:predict`, { body: { instances: trained.texts } });
    expect(response.status).toBe(200);
    expect(response.contentType).toBe('application/json');
    const predictions = response.body.predictions as { label: string; probabilities: Record<string, number> }[];
    expect(predictions).toHaveLength(trained.texts.length);
    const model = await loadServedModel(trained.dataDir, trained.fp32);
    const expected = await model.predict(trained.texts);
    await model.close();
    predictions.forEach((p, i) => {
      expect(Object.keys(p.probabilities)).toEqual(['negative', 'positive']);
      expect(p.probabilities.negative).toBeCloseTo(expected[i]?.[0] as number, 6);
      expect(p.label).toBe((expected[i]?.[1] as number) > (expected[i]?.[0] as number) ? 'positive' : 'negative');
    });
    expect(predictions[0]?.label).toBe('positive');
    expect(predictions[1]?.label).toBe('negative');
    expect(await call(`${url}/v1/models/sentiment`)).toMatchObject({ status: 200, body: { name: 'sentiment', ready: true } });
  });

  it('V2 health, server metadata and model metadata follow the spec', async () => {
    expect(await call(`${url}/v2/health/live`)).toMatchObject({ status: 200, body: { live: true } });
    expect(await call(`${url}/v2/health/ready`)).toMatchObject({ status: 200, body: { ready: true } });
    expect(await call(`${url}/v2/models/sentiment/ready`)).toMatchObject({ status: 200, body: { name: 'sentiment', ready: true } });
    expect(await call(`${url}/v2/models/sentiment/versions/1/ready`)).toMatchObject({ status: 200 });
    expect((await call(`${url}/v2`)).body).toMatchObject({ name: 'opsbot-model-server', extensions: [] });
    const metadata = await call(`${url}/v2/models/sentiment/versions/1`);
    expect(metadata.status).toBe(200);
    expect(metadata.body).toEqual({
      name: 'sentiment',
      versions: ['1'],
      platform: 'onnxruntime_onnx',
      inputs: [{ name: 'text', datatype: 'BYTES', shape: [-1] }],
      outputs: [
        { name: 'label', datatype: 'BYTES', shape: [-1] },
        { name: 'probabilities', datatype: 'FP32', shape: [-1, 2] },
      ],
      parameters: { classes: '["negative","positive"]', precision: 'fp32' },
    });
    expect((await call(`${url}/v2/models/sentiment`)).body).toEqual(metadata.body);
  });

  it('V2 infer takes a BYTES tensor of shape [n] or [n, 1], flat or nested, and answers a BYTES label and an FP32 [n, classes] output', async () => {
    const texts = trained.texts.slice(0, 3);
    const flat = await call(`${url}/v2/models/sentiment/infer`, { body: { id: 'req-42', parameters: { trace: true }, inputs: [{ name: 'text', datatype: 'BYTES', shape: [3], data: texts }] } });
    expect(flat.status).toBe(200);
    expect(flat.body).toMatchObject({ model_name: 'sentiment', model_version: '1', id: 'req-42' });
    const [label, probabilities] = flat.body.outputs as { name: string; datatype: string; shape: number[]; data: unknown[]; parameters?: Record<string, unknown> }[];
    expect(label).toMatchObject({ name: 'label', datatype: 'BYTES', shape: [3], data: ['positive', 'negative', 'positive'] });
    expect(probabilities).toMatchObject({ name: 'probabilities', datatype: 'FP32', shape: [3, 2], parameters: { classes: '["negative","positive"]' } });
    expect(probabilities?.data).toHaveLength(6);
    for (let row = 0; row < 3; row++) expect((probabilities?.data[2 * row] as number) + (probabilities?.data[2 * row + 1] as number)).toBeCloseTo(1, 5);

    const nested = await call(`${url}/v2/models/sentiment/versions/1/infer`, { body: { inputs: [{ name: 'text', datatype: 'BYTES', shape: [3, 1], data: texts.map((t) => [t]) }] } });
    expect(nested.status).toBe(200);
    expect(typeof nested.body.id).toBe('string');
    expect((nested.body.outputs as { data: unknown[] }[])[1]?.data).toEqual(probabilities?.data);

    const onlyLabel = await call(`${url}/v2/models/sentiment/infer`, { body: { inputs: [{ name: 'text', datatype: 'BYTES', shape: [1], data: [texts[0]] }], outputs: [{ name: 'label' }] } });
    expect((onlyLabel.body.outputs as { name: string }[]).map((o) => o.name)).toEqual(['label']);
    const base64 = await call(`${url}/v2/models/sentiment/infer`, {
      body: { inputs: [{ name: 'text', datatype: 'BYTES', shape: [1], parameters: { content_type: 'base64' }, data: [Buffer.from(texts[1] as string).toString('base64')] }] },
    });
    expect((base64.body.outputs as { data: unknown[] }[])[0]?.data).toEqual(['negative']);
  });

  it('V2 infer takes BYTES sent as binary tensor data after the JSON, as the Triton and KServe clients send them', async () => {
    const texts = trained.texts.slice(0, 2);
    const binary = Buffer.concat(texts.map((t) => {
      const bytes = Buffer.from(t, 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32LE(bytes.length);
      return Buffer.concat([length, bytes]);
    }));
    const header = Buffer.from(JSON.stringify({ inputs: [{ name: 'text', datatype: 'BYTES', shape: [2, 1], parameters: { binary_data_size: binary.length } }], outputs: [{ name: 'label', parameters: { binary_data: false } }] }));
    const response = await fetch(`${url}/v2/models/sentiment/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(header.length) },
      body: Buffer.concat([header, binary]),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { outputs: { data: string[] }[] }).outputs[0]?.data).toEqual(['positive', 'negative']);
    const truncated = await fetch(`${url}/v2/models/sentiment/infer`, {
      method: 'POST',
      headers: { 'inference-header-content-length': String(header.length) },
      body: Buffer.concat([header, binary.subarray(0, 6)]),
    });
    expect(truncated.status).toBe(400);
    expect(((await truncated.json()) as { error: string }).error).toMatch(/binary_data_size/);
  });

  it.each([
    ['unknown model (V1)', '/v1/models/nope:predict', { instances: ['x'] }, 404, /model 'nope' is not served here/],
    ['unknown model (V2)', '/v2/models/nope/infer', infer({}), 404, /model 'nope' is not served here/],
    ['unknown version', '/v2/models/sentiment/versions/7/infer', infer({}), 404, /has no version '7'/],
    ['V1 instances not texts', '/v1/models/sentiment:predict', { instances: [1, 2] }, 400, /instances/],
    ['V1 no instances', '/v1/models/sentiment:predict', { instances: [] }, 400, /at least one text/],
    ['wrong datatype', '/v2/models/sentiment/infer', infer({ datatype: 'FP32', data: [1] }), 400, /datatype BYTES/],
    ['wrong input name', '/v2/models/sentiment/infer', infer({ name: 'input-0' }), 400, /unexpected inference input 'input-0'/],
    ['shape of rank 3', '/v2/models/sentiment/infer', infer({ shape: [1, 1, 1] }), 400, /shape \[n\] or \[n, 1\]/],
    ['shape [n, 2]', '/v2/models/sentiment/infer', infer({ shape: [1, 2], data: ['a', 'b'] }), 400, /shape \[n\] or \[n, 1\]/],
    ['shape and data disagree', '/v2/models/sentiment/infer', infer({ shape: [2] }), 400, /shape \[2\] but 1 data elements/],
    ['element not a string', '/v2/models/sentiment/infer', infer({ data: [7] }), 400, /not a string/],
    ['unknown output', '/v2/models/sentiment/infer', infer({}, { outputs: [{ name: 'logits' }] }), 400, /unexpected inference output 'logits'/],
    ['two inputs', '/v2/models/sentiment/infer', { inputs: [infer({}).inputs[0], infer({}).inputs[0]] }, 400, /takes one input/],
    ['no inputs field', '/v2/models/sentiment/infer', { id: 'x' }, 400, /invalid inference request: inputs/],
    ['too many texts', '/v1/models/sentiment:predict', { instances: Array.from({ length: 9 }, () => 'x') }, 400, /9 texts; the limit is 8/],
    ['text too long', '/v1/models/sentiment:predict', { instances: ['ok', 'x'.repeat(201)] }, 400, /text 1 has 201 characters; the limit is 200/],
  ])('refuses %s with the spec status and a JSON error', async (_what, path, body, status, message) => {
    const response = await call(`${url}${path}`, { body });
    expect(response.status).toBe(status);
    expect(response.contentType).toBe('application/json');
    expect(response.body.error).toMatch(message);
  });

  it('refuses bad bodies: invalid JSON 400, not JSON 415, too big 413; an unknown route 404 and a wrong method 405', async () => {
    expect(await call(`${url}/v1/models/sentiment:predict`, { rawBody: '{"instances": [' })).toMatchObject({ status: 400, body: { error: expect.stringMatching(/not valid JSON/) } });
    expect(await call(`${url}/v1/models/sentiment:predict`, { rawBody: 'instances=x', contentType: 'application/x-www-form-urlencoded' })).toMatchObject({ status: 415, body: { error: expect.stringMatching(/must be JSON/) } });
    expect(await call(`${url}/v1/models/sentiment:predict`, { body: { instances: ['x'.repeat(150)].concat(Array.from({ length: 40 }, () => 'y'.repeat(150))) } })).toMatchObject({ status: 413, body: { error: expect.stringMatching(/limit is 4096/) } });
    expect(await chunkedPost(`${url}/v1/models/sentiment:predict`, JSON.stringify({ instances: Array.from({ length: 50 }, () => 'z'.repeat(100)) }))).toMatchObject({ status: 413, body: { error: expect.stringMatching(/over the limit of 4096 bytes/) } });
    // No Content-Type at all is JSON: the KServe and Triton clients send none.
    expect((await call(`${url}/v1/models/sentiment:predict`, { body: { instances: ['fast'] }, contentType: null })).status).toBe(200);
    expect(await call(`${url}/v3/things`)).toMatchObject({ status: 404, body: { error: expect.stringMatching(/no route GET \/v3\/things/) } });
    const wrongMethod = await call(`${url}/v2/models/sentiment/infer`);
    expect(wrongMethod).toMatchObject({ status: 405 });
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    // Still serving after all of the above.
    expect((await call(`${url}/healthz`)).status).toBe(200);
  });

  it('counts requests by route and code, with the model version as a label', async () => {
    await call(`${url}/v2/models/nope/infer`, { body: infer({}) });
    const page = await (await fetch(`${url}/metrics`)).text();
    expect(metricValue(page, 'opsbot_model_server_requests_total', { route: '/v2/models/:name/infer', code: '404', model: 'sentiment', version: '1' })).toBeGreaterThanOrEqual(1);
    expect(metricValue(page, 'opsbot_model_server_requests_total', { route: '/v1/models/:name:predict', code: '200' })).toBeGreaterThanOrEqual(1);
    expect(metricValue(page, 'opsbot_model_server_request_duration_seconds_count', { route: '/v1/models/:name:predict' })).toBeGreaterThanOrEqual(1);
    expect(page).toContain('opsbot_model_server_in_flight_requests');
    expect(metricValue(page, 'opsbot_model_server_model_info', { precision: 'fp32', version: '1' })).toBe(1);
  });
});

describe('model server readiness', () => {
  let trained: ServableModel;
  beforeAll(async () => void (trained = await trainServableModel('gated')), 120_000);
  afterAll(async () => trained?.harness.close());

  it('is live at once but ready (healthz, V2 ready, V1 status) only after the session is loaded and warmed up; it serves INT8 versions too', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const load = async (): Promise<ServedModel> => {
      await gate;
      return loadServedModel(trained.dataDir, trained.int8);
    };
    const server = await ModelServer.start({ name: 'gated', version: 2, load, options: { port: 0 } });
    try {
      expect(await call(`${server.url}/healthz`)).toMatchObject({ status: 503, body: { status: 'loading' } });
      expect((await call(`${server.url}/v2/health/live`)).status).toBe(200);
      expect((await call(`${server.url}/v2/health/ready`)).status).toBe(503);
      expect((await call(`${server.url}/v2/models/gated/ready`)).status).toBe(503);
      expect((await call(`${server.url}/v1/models/gated`)).status).toBe(503);
      expect(await call(`${server.url}/v1/models/gated:predict`, { body: { instances: ['fast'] } })).toMatchObject({ status: 503, body: { error: expect.stringMatching(/still loading/) } });
      release();
      await server.ready;
      expect(await call(`${server.url}/healthz`)).toMatchObject({ status: 200, body: { status: 'ready' } });
      expect((await call(`${server.url}/v2/health/ready`)).status).toBe(200);
      expect((await call(`${server.url}/v2/models/gated`)).body).toMatchObject({ versions: ['2'], parameters: { precision: 'int8' } });
      expect((await call(`${server.url}/v1/models/gated:predict`, { body: { instances: trained.texts.slice(0, 2) } })).body).toMatchObject({ predictions: [{ label: 'positive' }, { label: 'negative' }] });
    } finally {
      await server.close();
    }
  });

  it('stays up and unready, saying so, when the version cannot be loaded', async () => {
    const server = await ModelServer.start({ name: 'gated', version: 9, load: () => loadServedModel(trained.dataDir, { ...trained.fp32, version: 9, artifactPath: 'models/missing/model.json' }), options: { port: 0 } });
    try {
      await expect(server.ready).rejects.toThrow(/cannot be read/);
      expect(await call(`${server.url}/healthz`)).toMatchObject({ status: 503, body: { status: 'failed' } });
      expect(await call(`${server.url}/v2/models/gated/infer`, { body: infer({}) })).toMatchObject({ status: 503, body: { error: expect.stringMatching(/failed to load/) } });
    } finally {
      await server.close();
    }
  });
});
