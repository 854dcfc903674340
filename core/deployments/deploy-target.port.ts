/**
 * Where models are served: the local target (model-server processes behind a router on
 * this machine) or Kubernetes. Core drives a blue-green deployment through this port and
 * never sees processes, pods or HTTP; each adapter keeps what it runs per model and
 * environment in two colours, one of which the stable endpoint sends traffic to.
 */
export const COLOURS = ['blue', 'green'] as const;
export type Colour = (typeof COLOURS)[number];

export function otherColour(colour: Colour): Colour {
  return colour === 'blue' ? 'green' : 'blue';
}

/** A fixed number of serving replicas, or an autoscaling range (the local target serves `min`). */
export type Scaling = { replicas: number } | { min: number; max: number };

/** One model in one environment: the unit a deploy target serves. */
export interface ServingSlot {
  model: string;
  env: string;
}

export interface RolloutRequest extends ServingSlot {
  colour: Colour;
  version: number;
  scaling: Scaling;
  /** The job that asked; adapters may put it on what they create (a label, a log line). */
  jobId?: string;
}

/** How far a rollout is; reported into the job message while the idle colour comes up. */
export interface RolloutProgress {
  /** Replicas of the colour that are ready, out of those wanted. */
  ready: number;
  desired: number;
  message: string;
}

/** What a colour runs now, as the target sees it. */
export interface ColourStatus {
  colour: Colour;
  /** Absent when nothing was ever rolled out to it (or it was removed). */
  version?: number;
  desiredReplicas: number;
  readyReplicas: number;
  /** Kubernetes: the HPA's range, when one exists. */
  autoscaling?: { min: number; max: number };
}

export interface ServingStatus extends ServingSlot {
  /** The colour the stable endpoint sends traffic to; absent before the first promotion. */
  live?: Colour;
  colours: Record<Colour, ColourStatus>;
  /** The stable address clients use (the router, or the Service's in-cluster URL). */
  endpoint?: string;
  /** Where the idle colour answers (local router's preview port, `<model>-preview` Service). */
  previewEndpoint?: string;
}

/** One text's answer from a colour, for the smoke test. */
export interface ColourPrediction {
  label: string;
  probabilities: Record<string, number>;
}

export interface DeployTarget {
  readonly kind: 'local' | 'kubernetes';
  /**
   * Makes `colour` run `version` at `scaling` and resolves once every wanted replica is
   * ready (healthy on /healthz). Rejects with RolloutFailedError when it never gets there
   * (crash loop, progress deadline, `signal` aborted); the live colour is left untouched.
   */
  rollOut(request: RolloutRequest, onProgress: (progress: RolloutProgress) => void, signal?: AbortSignal): Promise<ColourStatus>;
  /** Sends all traffic of the stable endpoint to `colour` at once; the other colour becomes the preview. */
  switchLive(slot: ServingSlot, colour: Colour): Promise<void>;
  /** Changes the replicas (or autoscaling range) of a colour that runs a version. */
  scale(slot: ServingSlot, colour: Colour, scaling: Scaling): Promise<void>;
  /** Stops serving a colour (scaled to zero / processes stopped); its version is remembered by core, not here. */
  retire(slot: ServingSlot, colour: Colour): Promise<void>;
  status(slot: ServingSlot): Promise<ServingStatus>;
  /**
   * The share of a colour's predictions answered from its caches, read from its servers, for
   * `status <model>`; apart from `status` so rollouts and rollbacks, which poll that, never wait on it.
   * Absent where the target cannot read it.
   */
  cacheHitRatio?(slot: ServingSlot, colour: Colour): Promise<number | undefined>;
  /** Asks a colour to classify texts (through the target's own path to it), for the smoke test. */
  predict(slot: ServingSlot, colour: Colour, texts: readonly string[]): Promise<ColourPrediction[]>;
  /**
   * Brings back what should serve after opsbot itself restarted (the local target's
   * processes died with it; a cluster kept its objects). Resolves when each slot serves again.
   */
  restore(serving: readonly RestoreRequest[]): Promise<void>;
  close(): Promise<void>;
}

export interface RestoreRequest extends ServingSlot {
  /** Absent when nothing was promoted yet (a first deployment waiting for approval): only the idle colour runs. */
  live?: Colour;
  /** What each colour should run; a colour absent here is not started. */
  colours: Partial<Record<Colour, { version: number; scaling: Scaling }>>;
}
