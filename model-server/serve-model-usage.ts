/** The usage lines of `opsbot serve-model`, apart from its code so `opsbot help` can show them without loading onnxruntime. */
export const SERVE_MODEL_USAGE = `serve-model --model NAME --version N [--model-dir DIR] [--port P] [--host H] [--max-batch N]
              [--batch-delay-ms MS] [--wait-for-full-batch] [--cache-size N] [--cache-ttl-s S] [--cache-prefix P]
                          serve one registered version over KServe V1 and V2 (Open Inference Protocol);
                          --model-dir loads it from its directory (model.json, model.onnx) without the registry`;
