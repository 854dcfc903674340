import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
export type OnnxNode = InstanceType<typeof onnx.NodeProto>;
export type OnnxTensor = InstanceType<typeof onnx.TensorProto>;
export type OnnxValueInfo = InstanceType<typeof onnx.ValueInfoProto>;

export const OPSET = 17;
export const IR_VERSION = 8;
export const { DataType } = onnx.TensorProto;

/** An initializer holding a typed array's bytes (little-endian, as ONNX's raw_data is). */
export function initializer(name: string, dims: readonly number[], data: Float32Array | Int8Array | BigInt64Array): OnnxTensor {
  const dataType = data instanceof Float32Array ? DataType.FLOAT : data instanceof Int8Array ? DataType.INT8 : DataType.INT64;
  return onnx.TensorProto.create({ name, dims: [...dims], dataType, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
}

export function node(opType: string, inputs: string[], outputs: string[], attributes: Record<string, number> = {}): OnnxNode {
  return onnx.NodeProto.create({
    opType,
    input: inputs,
    output: outputs,
    name: outputs[0],
    attribute: Object.entries(attributes).map(([name, i]) => onnx.AttributeProto.create({ name, i, type: onnx.AttributeProto.AttributeType.INT })),
  });
}

/** A graph input or output; a string dimension is symbolic (any size). */
export function valueInfo(name: string, elemType: number, dims: ReadonlyArray<number | string>): OnnxValueInfo {
  return onnx.ValueInfoProto.create({
    name,
    type: onnx.TypeProto.create({
      tensorType: onnx.TypeProto.Tensor.create({
        elemType,
        shape: onnx.TensorShapeProto.create({
          dim: dims.map((d) => onnx.TensorShapeProto.Dimension.create(typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
        }),
      }),
    }),
  });
}

export function encodeModel(input: {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  metadata: Record<string, string>;
  docString: string;
}): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    opsetImport: [onnx.OperatorSetIdProto.create({ domain: '', version: OPSET })],
    producerName: 'opsbot',
    docString: input.docString,
    metadataProps: Object.entries(input.metadata).map(([key, value]) => onnx.StringStringEntryProto.create({ key, value })),
    graph: onnx.GraphProto.create({
      name: input.name,
      node: input.nodes,
      initializer: input.initializers,
      input: input.inputs,
      output: input.outputs,
    }),
  });
  return onnx.ModelProto.encode(model).finish();
}
