import type { IncomingMessage } from 'node:http';
import { isLoopbackAddress, isLoopbackHostHeader } from '../../bot/playground/playground-security.js';
import { sameToken } from '../../bot/playground/playground-token.js';

export type MetricsAccess = { ok: true } | { ok: false; status: 401 | 403; message: string };

export interface MetricsGuardOptions {
  /** OPSBOT_METRICS_TOKEN: with it, every scrape must send `Authorization: Bearer <token>`. */
  token?: string;
  /** The peer's address as the guard sees it; tests stand in for a remote machine here. */
  peerAddress?: (req: IncomingMessage) => string | undefined;
}

/**
 * Who may read /metrics, as the playground guards itself: with a token configured, only a
 * request that carries it; without one, only this machine — a loopback peer, not relayed by
 * a proxy, naming a loopback Host (DNS rebinding). Metrics name models, environments and
 * load, so they are not served to the network unauthenticated.
 */
export function metricsGuard(options: MetricsGuardOptions): (req: IncomingMessage) => MetricsAccess {
  const peerAddress = options.peerAddress ?? ((req: IncomingMessage) => req.socket.remoteAddress);
  return (req) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (options.token) {
      if (bearer !== undefined && sameToken(bearer, options.token)) return { ok: true };
      return { ok: false, status: 401, message: 'metrics need Authorization: Bearer <OPSBOT_METRICS_TOKEN>' };
    }
    if (!isLoopbackAddress(peerAddress(req)) || req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined || !isLoopbackHostHeader(req.headers.host)) {
      return { ok: false, status: 403, message: 'metrics answer only this machine (loopback); to scrape from elsewhere, set OPSBOT_METRICS_TOKEN and send it as a bearer token' };
    }
    return { ok: true };
  };
}
