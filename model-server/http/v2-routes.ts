import { randomUUID } from 'node:crypto';
import type { InferenceService } from '../inference-service.js';
import type { Prediction } from '../prediction.js';
import type { ServingState } from '../serving-state.js';
import { checkTexts } from './check-texts.js';
import { HttpError } from './http-error.js';
import { json, type Reply } from './reply.js';
import { checkModel, notReadyMessage, resolveModel } from './resolve-model.js';
import { parseInferenceRequest } from './v2-request.js';
import type { ResponseOutput } from './v2-schemas.js';
import { TEXT_INPUT, tensorTexts } from './v2-tensor-texts.js';

export const LABEL_OUTPUT = 'label';
export const PROBABILITIES_OUTPUT = 'probabilities';
const OUTPUTS = [LABEL_OUTPUT, PROBABILITIES_OUTPUT] as const;
type OutputName = (typeof OUTPUTS)[number];

const SERVER = { name: 'opsbot-model-server', version: '0.1.0', extensions: [] as string[] };

/**
 * The Open Inference Protocol (KServe V2). Health routes answer with the status code the
 * spec reads and KServe's JSON body ({live}, {ready}), which Triton's client ignores.
 */
export const v2Routes = {
  server: (): Reply => json(SERVER),
  live: (): Reply => json({ live: true }),

  ready(state: ServingState): Reply {
    if (state.phase !== 'ready') return json({ ready: false, error: notReadyMessage(state) }, 503);
    return json({ ready: true });
  },

  modelReady(state: ServingState, name: string, version?: string): Reply {
    resolveModel(state, name, version);
    return json({ name, ready: true });
  },

  metadata(state: ServingState, name: string, version?: string): Reply {
    const { model } = resolveModel(state, name, version);
    return json({
      name,
      versions: [String(model.version)],
      platform: 'onnxruntime_onnx',
      inputs: [{ name: TEXT_INPUT, datatype: 'BYTES', shape: [-1] }],
      outputs: [
        { name: LABEL_OUTPUT, datatype: 'BYTES', shape: [-1] },
        { name: PROBABILITIES_OUTPUT, datatype: 'FP32', shape: [-1, model.labels.length] },
      ],
      // The class order of the probabilities output, as a JSON string: parameter values are scalars.
      parameters: { classes: JSON.stringify(model.labels), precision: model.precision },
    });
  },

  /** Synchronous when every text is in the in-process cache (see InferenceService.predict). */
  infer(state: ServingState, name: string, version: string | undefined, body: { json: unknown; binary?: Buffer }): Reply | Promise<Reply> {
    checkModel(state, name, version);
    const request = parseInferenceRequest(body.json);
    if (request.inputs.length !== 1) throw new HttpError(400, `model '${name}' takes one input, '${TEXT_INPUT}'; the request has ${request.inputs.length}`);
    const requested = requestedOutputs(request.outputs?.map((o) => o.name), name);
    const texts = tensorTexts(request.inputs[0] as (typeof request.inputs)[0], name, body.binary);
    checkTexts(state, texts);
    const service = resolveModel(state, name, version);
    const reply = (predictions: readonly Prediction[]) =>
      json({
        model_name: name,
        model_version: String(service.model.version),
        id: request.id ?? randomUUID(),
        outputs: requested.map((output) => responseOutput(output, predictions, service)),
      });
    const predictions = service.predict(texts);
    return Array.isArray(predictions) ? reply(predictions) : predictions.then(reply);
  },
};

function requestedOutputs(names: string[] | undefined, model: string): OutputName[] {
  if (names === undefined) return [...OUTPUTS];
  for (const n of names) {
    if (!(OUTPUTS as readonly string[]).includes(n)) throw new HttpError(400, `unexpected inference output '${n}' for model '${model}': it has '${LABEL_OUTPUT}' and '${PROBABILITIES_OUTPUT}'`);
  }
  return names as OutputName[];
}

function responseOutput(name: OutputName, predictions: readonly Prediction[], service: InferenceService): ResponseOutput {
  const { labels } = service.model;
  if (name === LABEL_OUTPUT) {
    return { name, datatype: 'BYTES', shape: [predictions.length], parameters: { content_type: 'str' }, data: predictions.map((p) => labels[p.labelIndex] as string) };
  }
  const data: number[] = [];
  for (const p of predictions) for (const value of p.probabilities) data.push(value);
  return { name, datatype: 'FP32', shape: [predictions.length, labels.length], parameters: { classes: JSON.stringify(labels) }, data };
}
