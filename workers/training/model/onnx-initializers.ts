import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** The raw little-endian bytes of each initializer of an ONNX file, by name: where a saved model's weights live. */
export function onnxInitializers(file: Uint8Array): Map<string, Uint8Array> {
  const graph = onnx.ModelProto.decode(file).graph;
  const found = new Map<string, Uint8Array>();
  for (const tensor of graph?.initializer ?? []) {
    if (tensor.name && tensor.rawData) found.set(tensor.name, tensor.rawData);
  }
  return found;
}
