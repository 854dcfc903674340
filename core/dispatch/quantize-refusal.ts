import type { ModelVersion } from '../store/model-registry.port.js';

/**
 * Why a version cannot be quantized, or undefined when it can: the dispatcher refuses
 * such a request before queueing it, and the worker checks again with the same words.
 */
export function quantizeRefusal(source: Pick<ModelVersion, 'model' | 'version' | 'params'>): string | undefined {
  if (source.params.trainer === 'external') {
    return `${source.model} v${source.version} was made by its own external trainer; quantize only works on versions trained by opsbot's built-in trainer, so quantize it with that trainer's tooling`;
  }
  if (source.params.quantized) {
    return `${source.model} v${source.version} is already INT8 (quantized from v${String(source.params.from)}); quantize an FP32 version`;
  }
  return undefined;
}
