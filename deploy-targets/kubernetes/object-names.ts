import { InvalidInputError, type Colour } from '../../core/index.js';

/** The labels opsbot puts on what it creates and selects by. */
export const LABEL = {
  name: 'app.kubernetes.io/name',
  component: 'app.kubernetes.io/component',
  managedBy: 'app.kubernetes.io/managed-by',
  model: 'opsbot.dev/model',
  version: 'opsbot.dev/version',
  colour: 'opsbot.dev/colour',
  env: 'opsbot.dev/env',
  role: 'opsbot.dev/role',
} as const;

export const MANAGED_BY = 'opsbot';
/** The Deployment's annotation naming the job that last rolled it out (an annotation: it must not restart pods). */
export const JOB_ANNOTATION = 'opsbot.dev/job-id';

/** The model server's port in the pod (KServe's), and the Services' port. */
export const CONTAINER_PORT = 8080;
export const SERVICE_PORT = 80;
export const PORT_NAME = 'http';

/** The longest suffix opsbot adds to a model's name (`-preview`); Kubernetes names of Services are at most 63 characters. */
const LONGEST_SUFFIX = '-preview'.length;
/** A Service name is a DNS-1035 label: it must start with a letter. */
const SERVICE_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Refuses a model name Kubernetes would refuse as `<model>-preview` or `<model>-green`, saying why. */
export function checkModelName(model: string): void {
  if (model.length + LONGEST_SUFFIX > 63 || !SERVICE_NAME.test(model)) {
    throw new InvalidInputError(
      `"${model}" cannot be served on Kubernetes: its Services and Deployments are named ${model}, ${model}-preview and ${model}-blue/-green, which must start with a letter and be at most 63 characters (the model name at most ${63 - LONGEST_SUFFIX})`,
    );
  }
}

export const deploymentName = (model: string, colour: Colour) => `${model}-${colour}`;
/** Each colour that runs an autoscaling range owns an HPA of its own name (see README: the HPA and retire). */
export const hpaName = deploymentName;
export const liveServiceName = (model: string) => model;
export const previewServiceName = (model: string) => `${model}-preview`;

/** What every object of a model carries. */
export function modelLabels(model: string, env: string): Record<string, string> {
  return { [LABEL.name]: model, [LABEL.component]: 'model-server', [LABEL.managedBy]: MANAGED_BY, [LABEL.model]: model, [LABEL.env]: env };
}

/**
 * What a colour's Deployment selects and its Services point at: model and colour only, never the version,
 * so a new version in the same colour is a rolling update of the same Deployment (its selector is immutable).
 */
export function colourSelector(model: string, colour: Colour): Record<string, string> {
  return { [LABEL.model]: model, [LABEL.colour]: colour };
}

/** The namespace of an environment: configured, else `opsbot-<env>`. */
export function namespaceFor(env: string, namespaces: Record<string, string>): string {
  return namespaces[env] ?? `opsbot-${env}`;
}
