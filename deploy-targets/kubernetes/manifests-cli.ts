import { dumpYaml } from '@kubernetes/client-node';
import { dirname } from 'node:path';
import { z } from 'zod';
import { COLOURS, ConfigError, InvalidInputError, NotFoundError, initialScaling, otherColour, type Colour, type OpsbotConfig, type StateStore } from '../../core/index.js';
import { MANIFESTS_USAGE } from './cli-usage.js';
import { servingManifests, type ColourManifestInput } from './manifests.js';
import { checkModelName, namespaceFor } from './object-names.js';

const argsSchema = z.object({
  model: z.string({ error: 'manifests needs a model: opsbot manifests <model> <env>' }).min(1),
  env: z.string({ error: 'manifests needs an environment: opsbot manifests <model> <env>' }).min(1),
  version: z.coerce.number().int().min(1, '--version is a version number such as 3').optional(),
  colour: z.enum(COLOURS, { error: '--colour is blue or green' }).optional(),
});

export interface ManifestsArgs {
  model?: string;
  env?: string;
  version?: string;
  colour?: string;
}

/**
 * What `colour` serving `version` live looks like, exactly as the Kubernetes target applies it: the Deployment,
 * its HPA when autoscaled, the live Service on that colour and the preview Service on the other.
 *
 * Defaults, so that the output is what `deploy` would do next: the newest registered version; the colour that
 * already runs it, else the idle one (the live colour's other, blue before any promotion); the colour's scaling
 * as opsbot remembers it, else the live colour's, else the environment's first-deployment scaling.
 */
export async function renderManifests(config: OpsbotConfig, store: StateStore, input: ManifestsArgs): Promise<string> {
  const target = config.deploy.kubernetes;
  if (!target) throw new ConfigError(['deploy.kubernetes is missing: set at least deploy.kubernetes.image to render manifests']);
  const parsed = argsSchema.safeParse(input);
  if (!parsed.success) throw new InvalidInputError(`manifests: ${parsed.error.issues.map((i) => i.message).join('; ')}\n\nUsage: opsbot ${MANIFESTS_USAGE}`);
  const { model } = parsed.data;
  checkModelName(model);
  const env = config.environments.find((e) => e.name === parsed.data.env || e.aliases.includes(parsed.data.env));
  if (!env) throw new NotFoundError(`unknown environment "${parsed.data.env}"; configured: ${config.environments.map((e) => e.name).join(', ')}`);
  const versions = await store.registry.listVersions(model);
  const entry = parsed.data.version === undefined ? versions.at(-1) : versions.find((v) => v.version === parsed.data.version);
  if (!entry) throw new NotFoundError(parsed.data.version === undefined ? `${model} has no registered version; train it first` : `${model} has no version ${parsed.data.version}; see \`status ${model}\``);
  const slot = await store.blueGreen.slot(model, env.name);
  const running = COLOURS.find((c) => slot?.colours[c]?.version === entry.version);
  const colour: Colour = parsed.data.colour ?? running ?? (slot?.live ? otherColour(slot.live) : 'blue');
  const scaling = slot?.colours[colour]?.scaling ?? (slot?.live ? slot.colours[slot.live]?.scaling : undefined) ?? initialScaling(env, config.limits);
  const manifest: ColourManifestInput = {
    model,
    env: env.name,
    namespace: namespaceFor(env.name, target.namespaces),
    colour,
    version: entry.version,
    scaling,
    artifactDir: dirname(entry.artifactPath),
  };
  return servingManifests(target, manifest)
    .map((object) => dumpYaml(object))
    .join('---\n');
}

/** `opsbot manifests`: the YAML on stdout, nothing else, so it can be piped into a file or `kubectl apply -f -`. */
export async function runManifestsCli(config: OpsbotConfig, input: ManifestsArgs, out: NodeJS.WritableStream): Promise<number> {
  const { openStateStore } = await import('../../app/open-state-store.js');
  const store = await openStateStore(config);
  try {
    out.write(await renderManifests(config, store, input));
  } finally {
    await store.close();
  }
  return 0;
}
