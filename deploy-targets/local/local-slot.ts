import { COLOURS, otherColour, type Colour, type ColourStatus, type ServingSlot } from '../../core/deployments/deploy-target.port.js';
import type { RouteDecision, Router } from './router.js';
import type { ServerPool } from './server-pool.js';

/**
 * What the local target runs for one model in one environment: a server pool per colour that
 * was rolled out, which colour is live, and the two routers (endpoint, preview). The routers
 * read `live` and `pools` for every request they receive, so changing either is the switch.
 */
export class LocalSlot implements ServingSlot {
  live?: Colour;
  /** The colour rolled out last: the preview's before anything is live. */
  lastRolledOut?: Colour;
  readonly pools: Partial<Record<Colour, ServerPool>> = {};
  /** Colours with a rollout under way (one at a time per colour). */
  readonly rollingOut = new Set<Colour>();
  endpoint?: Router;
  preview?: Router;

  constructor(
    readonly model: string,
    readonly env: string,
  ) {}

  get label(): string {
    return `${this.model} in ${this.env}`;
  }

  /** The idle colour: the one not live, or before any promotion the one rolled out last. */
  get previewColour(): Colour | undefined {
    return this.live ? otherColour(this.live) : this.lastRolledOut;
  }

  routeLive(): RouteDecision {
    if (!this.live) return { unavailable: `${this.label} has no live version yet: deploy one and promote it (the preview endpoint serves a rolled-out colour before that)` };
    return this.routeTo(this.live, 'live');
  }

  routePreview(): RouteDecision {
    const colour = this.previewColour;
    if (!colour) return { unavailable: `${this.label} has nothing rolled out to preview` };
    return this.routeTo(colour, 'idle');
  }

  colourStatus(colour: Colour): ColourStatus {
    const pool = this.pools[colour];
    return pool ? { colour, version: pool.version, desiredReplicas: pool.desired, readyReplicas: pool.readyCount } : { colour, desiredReplicas: 0, readyReplicas: 0 };
  }

  allPools(): ServerPool[] {
    return COLOURS.flatMap((colour) => (this.pools[colour] ? [this.pools[colour]] : []));
  }

  private routeTo(colour: Colour, role: string): RouteDecision {
    const pool = this.pools[colour];
    if (!pool) return { unavailable: `${this.label}: the ${role} colour (${colour}) runs no version` };
    if (pool.desired === 0) return { unavailable: `${this.label}: the ${role} colour (${colour}, v${pool.version}) is stopped (0 replicas); scale it up to serve` };
    return { upstreams: pool };
  }
}
