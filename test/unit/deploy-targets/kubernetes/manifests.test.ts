import { kubernetesTargetSchema } from '../../../../core/config/kubernetes-target.schema.js';
import { deploymentManifest, hpaManifest, servingManifests, type ColourManifestInput } from '../../../../deploy-targets/kubernetes/manifests.js';
import { checkModelName } from '../../../../deploy-targets/kubernetes/object-names.js';

const input: ColourManifestInput = { model: 'sentiment', env: 'prod', namespace: 'ml-prod', colour: 'green', version: 7, scaling: { replicas: 3 }, artifactDir: 'models/sentiment/j-abc' };
const config = (extra: Record<string, unknown> = {}) => kubernetesTargetSchema.parse({ image: 'opsbot:1', ...extra });
const container = (d: ReturnType<typeof deploymentManifest>) => d.spec?.template?.spec?.containers[0];

describe('Kubernetes manifests', () => {
  it('give a CPU model the seed\'s resources and no GPU', () => {
    expect(container(deploymentManifest(config(), input))?.resources).toEqual({ requests: { cpu: '2', memory: '8Gi' }, limits: { cpu: '4', memory: '16Gi' } });
  });

  it('give a model configured for GPUs its GPU limit, its own resources and node placement', () => {
    const gpu = config({
      gpuResource: 'nvidia.com/gpu',
      nodeSelector: { pool: 'general' },
      models: { sentiment: { gpus: 2, resources: { requests: { cpu: '4', memory: '16Gi' }, limits: { cpu: '8', memory: '32Gi' } }, nodeSelector: { pool: 'gpu' }, tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] } },
    });
    const deployment = deploymentManifest(gpu, input);
    expect(container(deployment)?.resources).toEqual({ requests: { cpu: '4', memory: '16Gi' }, limits: { cpu: '8', memory: '32Gi', 'nvidia.com/gpu': '2' } });
    expect(deployment.spec?.template?.spec?.nodeSelector).toEqual({ pool: 'gpu' });
    expect(deployment.spec?.template?.spec?.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    // Another model stays on CPU.
    expect(container(deploymentManifest(gpu, { ...input, model: 'intent' }))?.resources?.limits).toEqual({ cpu: '4', memory: '16Gi' });
  });

  it('select on model and colour only, so a new version is a rolling update of the same Deployment', () => {
    const v7 = deploymentManifest(config(), input);
    const v8 = deploymentManifest(config(), { ...input, version: 8 });
    expect(v8.spec?.selector).toEqual(v7.spec?.selector);
    expect(v7.spec?.selector?.matchLabels).toEqual({ 'opsbot.dev/model': 'sentiment', 'opsbot.dev/colour': 'green' });
    expect(v8.spec?.template?.metadata?.labels?.['opsbot.dev/version']).toBe('8');
    // The job id is an annotation of the Deployment, never of the pod template (it would restart the pods).
    expect(deploymentManifest(config(), { ...input, jobId: 'j-1' }).spec?.template).toEqual(v7.spec?.template);
  });

  it('mount a version by a sub-path template when the claim is laid out by a sync job', () => {
    const deployment = deploymentManifest(config({ artifacts: { mode: 'volume', claimName: 'models', subPath: '{model}/v{version}' } }), { ...input, artifactDir: undefined });
    expect(container(deployment)?.volumeMounts?.[0]).toEqual({ name: 'model', mountPath: '/models', subPath: 'sentiment/v7', readOnly: true });
  });

  it('start an autoscaled colour at its minimum, with an HPA on CPU utilisation', () => {
    const autoscaled = { ...input, scaling: { min: 3, max: 9 } };
    expect(deploymentManifest(config(), autoscaled).spec?.replicas).toBe(3);
    expect(hpaManifest(config({ targetCpuUtilization: 60 }), autoscaled).spec).toMatchObject({ minReplicas: 3, maxReplicas: 9, metrics: [{ resource: { target: { averageUtilization: 60 } } }] });
    expect(servingManifests(config(), autoscaled).map((o) => `${o.kind}/${o.metadata?.name}`)).toEqual(['Deployment/sentiment-green', 'HorizontalPodAutoscaler/sentiment-green', 'Service/sentiment', 'Service/sentiment-preview']);
    expect(servingManifests(config(), input).map((o) => o.kind)).toEqual(['Deployment', 'Service', 'Service']);
  });

  it('refuse a configuration that would put a path outside the version into the sub-path', () => {
    expect(() => config({ artifacts: { mode: 'volume', claimName: 'models', subPath: '../{model}/{version}' } })).toThrow();
    expect(() => config({ artifacts: { mode: 'volume', claimName: 'models', subPath: 'models/latest' } })).toThrow();
  });

  it('refuse model names Kubernetes would refuse as Service names', () => {
    expect(() => checkModelName('sentiment')).not.toThrow();
    expect(() => checkModelName('3d-model')).toThrow(/must start with a letter/);
    expect(() => checkModelName('a'.repeat(56))).toThrow(/at most 55/);
  });
});
