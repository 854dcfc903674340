import type { RequestHandler } from 'express';
import type { OpsbotMetrics } from './opsbot-metrics.js';

/** The paths where Slack and Teams deliver requests and wait for opsbot's answer. */
const PLATFORM_BY_PATH: Readonly<Record<string, string>> = { '/slack/events': 'slack', '/api/messages': 'teams' };

/**
 * Times each Slack and Teams request from arrival to the end of its HTTP answer: the Slack
 * receiver answers 200 before Bolt runs anything (the ack), and a Teams turn answers once
 * the bot has taken the activity (an invoke's answer included). Mounted before the adapters'
 * routes; the status is a class (2xx, 4xx, 5xx), so the labels stay bounded.
 */
export function ackTiming(metrics: OpsbotMetrics): RequestHandler {
  return (req, res, next) => {
    const platform = req.method === 'POST' ? PLATFORM_BY_PATH[req.path] : undefined;
    if (platform) {
      const started = performance.now();
      res.once('finish', () => metrics.ackDuration.observe({ platform, status: `${Math.floor(res.statusCode / 100)}xx` }, (performance.now() - started) / 1000));
    }
    next();
  };
}
