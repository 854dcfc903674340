import type { Express } from 'express';
import { checkReadiness, type ReadinessCheck } from './readiness-check.js';

/** Each readiness check gets at most this long (checks run at once), so a probe with a 3 s timeout always gets an answer. */
export const DEFAULT_CHECK_TIMEOUT_MS = 2000;

/**
 * `/healthz` is liveness: the process is up and serving HTTP (restart it if not). `/readyz` is
 * readiness: what it depends on answers (send it traffic only then); 503 names the failing check.
 */
export function mountHealthRoutes(app: Express, options: { checks: readonly ReadinessCheck[]; timeoutMs?: number }): void {
  app.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ ok: true });
  });
  app.get('/readyz', async (_req, res) => {
    const report = await checkReadiness(options.checks, options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS);
    res.status(report.ready ? 200 : 503).set('Cache-Control', 'no-store').json(report);
  });
}
