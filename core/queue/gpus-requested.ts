/** GPUs a job asks for (`train --gpus N`); 0 means it runs on CPU. Kinds without a `gpus` argument need none. */
export function gpusRequested(action: { args: object }): number {
  const gpus = (action.args as { gpus?: unknown }).gpus;
  return typeof gpus === 'number' && Number.isInteger(gpus) && gpus > 0 ? gpus : 0;
}
