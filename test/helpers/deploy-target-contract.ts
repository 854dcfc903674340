import type { ColourPrediction, DeployTarget, RolloutProgress, ServingSlot } from '../../core/deployments/deploy-target.port.js';
import { RolloutFailedError } from '../../core/deployments/rollout-failed.error.js';
import { eventually } from './eventually.js';

/** What a deploy-target adapter's test gives the contract: the adapter, and versions of a model it can serve. */
export interface DeployTargetUnderTest {
  target: DeployTarget;
  /** The model and environment the contract deploys to; nothing serves there yet. */
  slot: ServingSlot;
  /** Two registered versions that load and answer. */
  v1: number;
  v2: number;
  /** A registered version whose files cannot be loaded (corrupted or missing): its rollout must fail. */
  broken: number;
  /** Labels the model answers with, and texts to ask it. */
  labels: readonly string[];
  texts: readonly string[];
  /**
   * A new adapter instance over the same state, as after opsbot restarted (the local target's
   * processes die with the old instance; a cluster keeps its objects). The old one is closed first.
   */
  restart(): Promise<DeployTarget>;
  /** Closes whatever instance is current and cleans up. */
  close(): Promise<void>;
}

/** How long one case may take: a rollout starts real model servers (local) or waits on a fake API server. */
const CASE_TIMEOUT_MS = 90_000;

/**
 * One suite every DeployTarget adapter passes (local processes, Kubernetes with a fake API
 * server), about the port's observable behaviour only. The cases are one blue-green story in
 * order, each starting from where the previous one left the slot, because bringing servers up
 * is what costs time; a failing case therefore usually fails the ones after it too — read the first.
 */
export function deployTargetContract(name: string, makeTarget: () => Promise<DeployTargetUnderTest>): void {
  describe(`${name} deploy target contract`, () => {
    let subject: DeployTargetUnderTest;
    let target: DeployTarget;
    let slot: ServingSlot;
    let endpointBeforeRestart: string | undefined;

    beforeAll(async () => {
      subject = await makeTarget();
      target = subject.target;
      slot = subject.slot;
    }, CASE_TIMEOUT_MS);
    afterAll(async () => subject?.close(), CASE_TIMEOUT_MS);

    const expectPredictions = (predictions: ColourPrediction[]) => {
      expect(predictions).toHaveLength(subject.texts.length);
      for (const prediction of predictions) {
        expect(subject.labels).toContain(prediction.label);
        expect(Object.keys(prediction.probabilities).sort()).toEqual([...subject.labels].sort());
        const total = Object.values(prediction.probabilities).reduce((a, b) => a + b, 0);
        expect(total).toBeCloseTo(1, 3);
        // The label is the most probable class.
        expect(prediction.probabilities[prediction.label]).toBe(Math.max(...Object.values(prediction.probabilities)));
      }
    };

    it('starts with nothing live in the slot', async () => {
      const status = await target.status(slot);
      expect(status).toMatchObject({ model: slot.model, env: slot.env });
      expect(status.live).toBeUndefined();
      expect(status.colours.blue.readyReplicas).toBe(0);
      expect(status.colours.green.readyReplicas).toBe(0);
    });

    it('rolls a version out to blue, reporting progress, then switchLive makes it live', async () => {
      const progress: RolloutProgress[] = [];
      const rolled = await target.rollOut({ ...slot, colour: 'blue', version: subject.v1, scaling: { replicas: 1 }, jobId: 'j-contract1' }, (p) => progress.push(p));
      expect(rolled).toMatchObject({ colour: 'blue', version: subject.v1, desiredReplicas: 1, readyReplicas: 1 });
      expect(progress.length).toBeGreaterThan(0);
      for (const p of progress) {
        expect(p.ready).toBeGreaterThanOrEqual(0);
        expect(p.ready).toBeLessThanOrEqual(p.desired);
        expect(p.message).toEqual(expect.any(String));
      }
      expect((await target.status(slot)).live).toBeUndefined();

      await target.switchLive(slot, 'blue');
      const status = await target.status(slot);
      expect(status.live).toBe('blue');
      expect(status.colours.blue).toMatchObject({ version: subject.v1, desiredReplicas: 1, readyReplicas: 1 });
      expect(status.endpoint).toEqual(expect.any(String));
    }, CASE_TIMEOUT_MS);

    it('predict on a colour answers with the labels of the version it runs', async () => {
      expectPredictions(await target.predict(slot, 'blue', subject.texts));
    }, CASE_TIMEOUT_MS);

    it('rolling v2 out to green leaves blue live and untouched, with green on the preview endpoint', async () => {
      const rolled = await target.rollOut({ ...slot, colour: 'green', version: subject.v2, scaling: { replicas: 1 } }, () => {});
      expect(rolled).toMatchObject({ colour: 'green', version: subject.v2, readyReplicas: 1 });
      const status = await target.status(slot);
      expect(status.live).toBe('blue');
      expect(status.colours.blue).toMatchObject({ version: subject.v1, desiredReplicas: 1, readyReplicas: 1 });
      expect(status.colours.green).toMatchObject({ version: subject.v2, desiredReplicas: 1, readyReplicas: 1 });
      expect(status.previewEndpoint).toEqual(expect.any(String));
      expect(status.previewEndpoint).not.toBe(status.endpoint);
      expectPredictions(await target.predict(slot, 'green', subject.texts));
      expectPredictions(await target.predict(slot, 'blue', subject.texts));
    }, CASE_TIMEOUT_MS);

    it('switchLive to green moves the stable endpoint to green and keeps blue as it is', async () => {
      const before = await target.status(slot);
      await target.switchLive(slot, 'green');
      const status = await target.status(slot);
      expect(status.live).toBe('green');
      expect(status.endpoint).toBe(before.endpoint);
      expect(status.colours.blue).toMatchObject({ version: subject.v1, readyReplicas: 1 });
      expect(status.colours.green).toMatchObject({ version: subject.v2, readyReplicas: 1 });
    }, CASE_TIMEOUT_MS);

    it('scale changes the desired and, once they are up, the ready replicas of a colour', async () => {
      await target.scale(slot, 'green', { replicas: 2 });
      expect((await target.status(slot)).colours.green.desiredReplicas).toBe(2);
      await eventually('green at 2 ready replicas', async () => (await target.status(slot)).colours.green.readyReplicas === 2, 60_000);
      await target.scale(slot, 'green', { replicas: 1 });
      await eventually('green back at 1 replica', async () => {
        const { colours } = await target.status(slot);
        return colours.green.desiredReplicas === 1 && colours.green.readyReplicas === 1;
      });
      expect((await target.status(slot)).live).toBe('green');
    }, CASE_TIMEOUT_MS);

    it('retire stops the idle colour: blue desires 0 replicas, green still serves', async () => {
      await target.retire(slot, 'blue');
      await eventually('blue at 0 replicas', async () => {
        const { colours } = await target.status(slot);
        return colours.blue.desiredReplicas === 0 && colours.blue.readyReplicas === 0;
      }, 60_000);
      const status = await target.status(slot);
      expect(status.live).toBe('green');
      expect(status.colours.green).toMatchObject({ version: subject.v2, readyReplicas: 1 });
      expectPredictions(await target.predict(slot, 'green', subject.texts));
    }, CASE_TIMEOUT_MS);

    it('a version that cannot load fails its rollout with RolloutFailedError, and the live colour keeps serving', async () => {
      const failure = await target.rollOut({ ...slot, colour: 'blue', version: subject.broken, scaling: { replicas: 1 } }, () => {}).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(RolloutFailedError);
      expect((failure as RolloutFailedError).userMessage).toMatch(new RegExp(`v${subject.broken}`));
      const status = await target.status(slot);
      expect(status.live).toBe('green');
      expect(status.colours.green).toMatchObject({ version: subject.v2, readyReplicas: 1 });
      expectPredictions(await target.predict(slot, 'green', subject.texts));
    }, CASE_TIMEOUT_MS);

    it('an aborted rollout rejects with RolloutFailedError and leaves the live colour serving', async () => {
      const controller = new AbortController();
      const rollout = target.rollOut({ ...slot, colour: 'blue', version: subject.v1, scaling: { replicas: 1 } }, () => controller.abort(), controller.signal);
      // An adapter that reports no progress before it is ready is cancelled from outside instead.
      setTimeout(() => controller.abort(), 50);
      const failure = await rollout.then(
        () => undefined,
        (error: unknown) => error,
      );
      // Already ready before the abort landed is allowed only if nothing was half-done: then blue serves v1.
      if (failure !== undefined) expect(failure).toBeInstanceOf(RolloutFailedError);
      const status = await target.status(slot);
      expect(status.live).toBe('green');
      expect(status.colours.green).toMatchObject({ version: subject.v2, readyReplicas: 1 });
      expectPredictions(await target.predict(slot, 'green', subject.texts));
      if (failure === undefined) expect(status.colours.blue).toMatchObject({ version: subject.v1, readyReplicas: 1 });
    }, CASE_TIMEOUT_MS);

    it('restore on a restarted adapter brings the slot back, live colour and stable endpoint as before', async () => {
      endpointBeforeRestart = (await target.status(slot)).endpoint;
      target = await subject.restart();
      await target.restore([{ ...slot, live: 'green', colours: { green: { version: subject.v2, scaling: { replicas: 1 } } } }]);
      const status = await target.status(slot);
      expect(status.live).toBe('green');
      expect(status.colours.green).toMatchObject({ version: subject.v2, readyReplicas: 1 });
      expect(status.endpoint).toBe(endpointBeforeRestart);
      expectPredictions(await target.predict(slot, 'green', subject.texts));
    }, CASE_TIMEOUT_MS);
  });
}
