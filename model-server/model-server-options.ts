import { z } from 'zod';

/**
 * How `opsbot serve-model` runs. Checked with zod at start-up (CLI flags arrive as strings,
 * hence the coercion), so a bad value stops the server before it listens.
 */
export const modelServerOptionsSchema = z.object({
  /** @defaultValue 127.0.0.1 — loopback only; a router or Service in front decides who reaches it. */
  host: z.string().min(1).default('127.0.0.1'),
  /** @defaultValue 8080 (KServe's port); 0 picks a free port and prints it. */
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Most texts coalesced into one ORT run. @defaultValue 64; 1 turns dynamic batching off. */
  maxBatch: z.coerce.number().int().min(1).max(4096).default(64),
  /** Longest a text waits for others to share its run, in ms (Triton's max_queue_delay). @defaultValue 2 */
  batchDelayMs: z.coerce.number().min(0).max(1000).default(2),
  /**
   * Wait the whole delay for a batch to fill even when no other request is in flight to join it
   * (Triton's policy exactly). @defaultValue false: such a batch runs at once, so a lone request pays no delay.
   */
  waitForFullBatch: z.boolean().default(false),
  /** Predictions kept in process. @defaultValue 10000; 0 turns the cache off. */
  cacheSize: z.coerce.number().int().min(0).max(10_000_000).default(10_000),
  /** How long a cached prediction is kept, in seconds (both tiers). @defaultValue 300 */
  cacheTtlS: z.coerce.number().min(1).max(30 * 24 * 3600).default(300),
  /** Shared second cache tier (REDIS_URL); absent: in-process cache only. */
  redisUrl: z.string().url().optional(),
  /** Prefix of the Redis keys, so deployments (and tests) never read each other's entries. @defaultValue opsbot:predictions: */
  redisKeyPrefix: z.string().min(1).default('opsbot:predictions:'),
  /** Largest request body. @defaultValue 1 MiB */
  maxBodyBytes: z.coerce.number().int().min(1024).default(1 << 20),
  /** Most texts in one request. @defaultValue 256 */
  maxTextsPerRequest: z.coerce.number().int().min(1).default(256),
  /** Longest text, in characters. @defaultValue 20000 */
  maxTextChars: z.coerce.number().int().min(1).default(20_000),
  /** How long SIGTERM waits for requests in flight before closing their connections, in ms. @defaultValue 10000 */
  drainTimeoutMs: z.coerce.number().int().min(0).default(10_000),
});
export type ModelServerOptions = z.infer<typeof modelServerOptionsSchema>;
export type ModelServerOptionsInput = z.input<typeof modelServerOptionsSchema>;
