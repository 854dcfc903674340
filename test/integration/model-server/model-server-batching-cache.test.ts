/**
 * @jest-environment ./test/helpers/onnx-environment.ts
 */
import { ModelServer, loadServedModel, type ModelServerOptionsInput } from '../../../model-server/index.js';
import { once } from 'node:events';
import { connect } from 'node:net';
import { Redis } from 'ioredis';
import { eventually } from '../../helpers/eventually.js';
import { call, metricValue } from '../../helpers/model-server-client.js';
import { REDIS_URL, deleteKeys, uniquePrefix } from '../../helpers/redis.js';
import { trainServableModel, type ServableModel } from '../../helpers/servable-model.js';

/** Dynamic batching, the two cache tiers and graceful drain, observed through requests and /metrics. */
describe('model server batching, cache and shutdown', () => {
  let trained: ServableModel;
  const servers: ModelServer[] = [];
  const prefixes: string[] = [];

  const start = async (options: ModelServerOptionsInput, version: 'fp32' | 'int8' = 'fp32') => {
    const entry = trained[version];
    const server = await ModelServer.start({ name: 'sentiment', version: entry.version, load: () => loadServedModel(trained.dataDir, entry), options: { port: 0, ...options } });
    servers.push(server);
    await server.ready;
    return server;
  };
  const metrics = async (server: ModelServer) => (await fetch(`${server.url}/metrics`)).text();
  const predict = (server: ModelServer, texts: string[]) => call(`${server.url}/v1/models/sentiment:predict`, { body: { instances: texts } });
  const redisPrefix = () => {
    const prefix = uniquePrefix('predictions');
    prefixes.push(prefix);
    return `${prefix}:`;
  };

  beforeAll(async () => void (trained = await trainServableModel()), 120_000);
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
    await Promise.all(prefixes.splice(0).map((p) => deleteKeys(p)));
  });
  afterAll(async () => trained?.harness.close());

  it('coalesces concurrent requests into one ORT run (batch-size metric); with batching off each runs alone', async () => {
    const texts = Array.from({ length: 16 }, (_, i) => `${trained.texts[i % 5]} number ${i}`);
    // A long delay, Triton's wait, and a batch of exactly 16: the run starts when the 16th request arrives, never by timer.
    const batched = await start({ maxBatch: 16, batchDelayMs: 1000, waitForFullBatch: true, cacheSize: 0 });
    const answers = await Promise.all(texts.map((t) => predict(batched, [t])));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    let page = await metrics(batched);
    expect(metricValue(page, 'opsbot_model_server_batch_size_count')).toBe(1);
    expect(metricValue(page, 'opsbot_model_server_batch_size_sum')).toBe(16);

    const unbatched = await start({ maxBatch: 1, cacheSize: 0 });
    const alone = await Promise.all(texts.map((t) => predict(unbatched, [t])));
    page = await metrics(unbatched);
    expect(metricValue(page, 'opsbot_model_server_batch_size_count')).toBe(16);
    // Same answers either way (up to float rounding: a batch pads its rows to the longest).
    type Answer = { label: string; probabilities: { positive: number } }[];
    alone.forEach((a, i) => {
      const [mine, batchedOne] = [(a.body.predictions as Answer)[0], (answers[i]?.body.predictions as Answer)[0]];
      expect(mine?.label).toBe(batchedOne?.label);
      expect(mine?.probabilities.positive).toBeCloseTo(batchedOne?.probabilities.positive as number, 5);
    });
  });

  it('answers a repeated text from the in-process cache (hit and miss counters), and not at all with the cache off', async () => {
    const server = await start({ cacheSize: 100 });
    const first = await predict(server, [trained.texts[0] as string, trained.texts[1] as string]);
    const second = await predict(server, [trained.texts[0] as string]);
    expect((second.body.predictions as unknown[])[0]).toEqual((first.body.predictions as unknown[])[0]);
    const page = await metrics(server);
    expect(metricValue(page, 'opsbot_model_server_cache_misses_total')).toBe(2);
    expect(metricValue(page, 'opsbot_model_server_cache_hits_total', { tier: 'memory' })).toBe(1);

    const off = await start({ cacheSize: 0 });
    await predict(off, [trained.texts[0] as string]);
    await predict(off, [trained.texts[0] as string]);
    expect(metricValue(await metrics(off), 'opsbot_model_server_cache_hits_total', { tier: 'memory' })).toBe(0);
    expect(metricValue(await metrics(off), 'opsbot_model_server_batch_size_sum')).toBe(2);
  });

  it('shares predictions between two replicas through Redis, but never across versions', async () => {
    const prefix = redisPrefix();
    const [a, b] = [await start({ redisUrl: REDIS_URL, redisKeyPrefix: prefix }), await start({ redisUrl: REDIS_URL, redisKeyPrefix: prefix })] as [ModelServer, ModelServer];
    const text = 'a shared and really great release';
    const fromA = await predict(a, [text]);
    // The request does not wait for its write to Redis: wait for the entry before asking replica b.
    const redis = new Redis(REDIS_URL);
    await eventually('the prediction in Redis', async () => (await redis.keys(`${prefix}*`)).length === 1).finally(() => redis.disconnect());
    const fromB = await predict(b, [text]);
    expect(metricValue(await metrics(b), 'opsbot_model_server_cache_hits_total', { tier: 'redis' })).toBe(1);
    expect(fromB.body.predictions).toEqual(fromA.body.predictions);

    const v2 = await start({ redisUrl: REDIS_URL, redisKeyPrefix: prefix }, 'int8');
    await predict(v2, [text]);
    const page = await metrics(v2);
    expect(metricValue(page, 'opsbot_model_server_cache_hits_total', { tier: 'redis' })).toBe(0);
    expect(metricValue(page, 'opsbot_model_server_cache_misses_total', { version: '2' })).toBe(1);
  });

  it('drains on close: a request in flight is answered, then the port refuses connections', async () => {
    const server = await start({ batchDelayMs: 300, waitForFullBatch: true, cacheSize: 0 });
    const url = server.url;
    const inFlight = predict(server, [trained.texts[0] as string]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closed = server.close();
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answer.headers.get('connection')).toBe('close');
    await closed;
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it('ends a request whose client leaves mid-body, so the drain does not wait for it', async () => {
    const server = await start({ drainTimeoutMs: 600_000 });
    const socket = connect(server.port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write('POST /v1/models/sentiment:predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"instances"');
    await eventually('the request in flight', async () => metricValue(await metrics(server), 'opsbot_model_server_in_flight_requests') === 2);
    socket.destroy();
    await eventually('the request ended', async () => metricValue(await metrics(server), 'opsbot_model_server_in_flight_requests') === 1);
    // With the request over, close needs no drain timeout (10 minutes here, past this test's own timeout).
    await server.close();
  });
});
