import { request } from 'node:http';
import { startHttpServer, type RunningHttpServer } from '../../../app/http-server.js';
import { silentLogger } from '../../../core/index.js';
import { startDistributedBot, type DistributedBot } from '../../helpers/distributed-bot.js';
import { eventually } from '../../helpers/eventually.js';
import { metricValue } from '../../helpers/model-server-client.js';
import { writeSentimentCsv } from '../../helpers/text-dataset.js';
import { freePort } from '../../helpers/free-port.js';

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; contentType: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body }));
    });
    req.on('error', reject);
    req.end();
  });
}


/** `opsbot worker` as a real process on BullMQ, with its own loopback metrics listener, and the bot's queue gauges from Redis. */
describe('an `opsbot worker` process’s /metrics (OPSBOT_WORKER_METRICS_PORT)', () => {
  let bot: DistributedBot;
  let http: RunningHttpServer;

  beforeAll(async () => {
    bot = await startDistributedBot({ prepare: (dir) => writeSentimentCsv(dir, 300) });
    const config = bot.runtime.config;
    http = await startHttpServer({ ...config, http: { ...config.http, port: 0 } }, [], silentLogger, { metrics: bot.runtime.metrics });
  }, 120_000);

  afterAll(async () => {
    await http?.close();
    await bot?.stop();
  });

  it('serves its slots and the jobs it ran on loopback, while the bot reports the BullMQ queues', async () => {
    const port = await freePort();
    await bot.startWorker('metrics-worker', { OPSBOT_WORKER_METRICS_PORT: String(port), OPSBOT_WORKER_CONCURRENCY: '3' });
    const url = `http://127.0.0.1:${port}/metrics`;
    const first = await get(url);
    expect(first.status).toBe(200);
    expect(first.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(metricValue(first.body, 'opsbot_worker_job_slots', { state: 'free' })).toBe(3);
    expect(first.body).toMatch(/^# TYPE opsbot_process_cpu_seconds_total counter$/m);
    expect((await get(url, { 'x-forwarded-for': '203.0.113.9' })).status).toBe(403);

    bot.chat.type('train sentiment --dataset sentiment.csv --epochs 2');
    await bot.chat.waitFor(/Trained sentiment v1/, 60_000);
    const page = await eventually('the worker timed the job', async () => {
      const body = (await get(url)).body;
      return metricValue(body, 'opsbot_job_duration_seconds_count', { kind: 'train', outcome: 'completed' }) === 1 && body;
    });
    expect(metricValue(page, 'opsbot_worker_job_slots', { state: 'used' })).toBe(0);

    // The bot ran no job itself; it reads each queue's counts from Redis.
    const botPage = (await get(`${http.url}/metrics`)).body;
    expect(botPage).toMatch(/^opsbot_queue_jobs\{queue="train",state="waiting"\} 0$/m);
    expect(botPage).toMatch(/^opsbot_queue_jobs\{queue="evaluate",state="active"\} 0$/m);
    expect(metricValue(botPage, 'opsbot_commands_total', { action: 'train', outcome: 'accepted' })).toBe(1);
    expect(botPage).not.toMatch(/opsbot_job_duration_seconds_count\{kind="train"/);
  }, 120_000);
});
