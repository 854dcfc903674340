/** `opsbot serve-model`: one registered version served over KServe V1 and the Open Inference Protocol. */
export { ModelServer, type ModelServerInit } from './model-server.js';
export { modelServerOptionsSchema, type ModelServerOptions, type ModelServerOptionsInput } from './model-server-options.js';
export { loadServedModel, type ServedModel } from './served-model.js';
export { runServeModel } from './serve-model-cli.js';
export { SERVE_MODEL_USAGE } from './serve-model-usage.js';
