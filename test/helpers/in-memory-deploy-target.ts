import { COLOURS, RolloutFailedError, type Colour, type ColourPrediction, type ColourStatus, type DeployTarget, type RestoreRequest, type RolloutProgress, type RolloutRequest, type Scaling, type ServingSlot, type ServingStatus } from '../../core/index.js';

interface ColourState {
  version?: number;
  scaling?: Scaling;
  running: boolean;
}

const replicasOf = (scaling: Scaling | undefined) => (scaling === undefined ? 0 : 'replicas' in scaling ? scaling.replicas : scaling.min);

/**
 * A deploy target that serves nothing: it keeps each slot's colours in memory and answers
 * predictions with the version's number as the label. It stands in for the infrastructure
 * when a test is about the deployment flow (policy, states, cards), not about serving;
 * the local and Kubernetes adapters have their own tests.
 */
export class InMemoryDeployTarget implements DeployTarget {
  readonly kind = 'local' as const;
  readonly calls: string[] = [];
  /** Versions whose rollout fails (a crash loop, say). */
  readonly failing = new Set<number>();
  private readonly slots = new Map<string, { live?: Colour; colours: Record<Colour, ColourState> }>();

  private slot(slot: ServingSlot) {
    const key = `${slot.model}/${slot.env}`;
    let state = this.slots.get(key);
    if (!state) {
      state = { colours: { blue: { running: false }, green: { running: false } } };
      this.slots.set(key, state);
    }
    return state;
  }

  async rollOut(request: RolloutRequest, onProgress: (progress: RolloutProgress) => void): Promise<ColourStatus> {
    this.calls.push(`rollOut ${request.model}/${request.env} ${request.colour} v${request.version}`);
    if (this.failing.has(request.version)) throw new RolloutFailedError(`v${request.version} never became ready: the server exited with code 1`);
    const desired = replicasOf(request.scaling);
    onProgress({ ready: desired, desired, message: `${desired} of ${desired} ready` });
    this.slot(request).colours[request.colour] = { version: request.version, scaling: request.scaling, running: true };
    return (await this.status(request)).colours[request.colour];
  }

  async switchLive(slot: ServingSlot, colour: Colour): Promise<void> {
    this.calls.push(`switchLive ${slot.model}/${slot.env} ${colour}`);
    this.slot(slot).live = colour;
  }

  async scale(slot: ServingSlot, colour: Colour, scaling: Scaling): Promise<void> {
    this.calls.push(`scale ${slot.model}/${slot.env} ${colour} ${JSON.stringify(scaling)}`);
    this.slot(slot).colours[colour].scaling = scaling;
  }

  async retire(slot: ServingSlot, colour: Colour): Promise<void> {
    this.calls.push(`retire ${slot.model}/${slot.env} ${colour}`);
    this.slot(slot).colours[colour].running = false;
  }

  async status(slot: ServingSlot): Promise<ServingStatus> {
    const state = this.slot(slot);
    const colours = Object.fromEntries(
      COLOURS.map((colour) => {
        const c = state.colours[colour];
        const replicas = c.running ? replicasOf(c.scaling) : 0;
        return [colour, { colour, version: c.running ? c.version : undefined, desiredReplicas: replicas, readyReplicas: replicas }];
      }),
    ) as Record<Colour, ColourStatus>;
    return { ...slot, live: state.live, colours, endpoint: `memory://${slot.model}/${slot.env}` };
  }

  async predict(slot: ServingSlot, colour: Colour, texts: readonly string[]): Promise<ColourPrediction[]> {
    const version = this.slot(slot).colours[colour].version;
    return texts.map(() => ({ label: `v${version}`, probabilities: { [`v${version}`]: 1 } }));
  }

  async restore(serving: readonly RestoreRequest[]): Promise<void> {
    for (const request of serving) {
      const state = this.slot(request);
      state.live = request.live;
      for (const colour of COLOURS) {
        const wanted = request.colours[colour];
        state.colours[colour] = wanted ? { version: wanted.version, scaling: wanted.scaling, running: true } : { running: false };
      }
      this.calls.push(`restore ${request.model}/${request.env} ${request.live ?? 'nothing live'}`);
    }
  }

  /** What serves a slot now, as clients would see it. */
  liveVersion(slot: ServingSlot): number | undefined {
    const state = this.slot(slot);
    return state.live ? state.colours[state.live].version : undefined;
  }

  running(slot: ServingSlot, colour: Colour): boolean {
    return this.slot(slot).colours[colour].running;
  }

  async close(): Promise<void> {}
}
