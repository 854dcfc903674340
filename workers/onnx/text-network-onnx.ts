import type { QuantizedLayer, QuantizedNetwork } from '../training/network/quantize-network.js';
import type { DenseLayer, TextNetwork } from '../training/network/text-network.js';
import { DataType, encodeModel, initializer, node, valueInfo, type OnnxNode, type OnnxTensor } from './onnx-builders.js';
import { ONNX_INPUTS, ONNX_OUTPUT } from './onnx-io-names.js';

export { ONNX_INPUTS, ONNX_OUTPUT };

/**
 * A layer's weights as a graph value: FP32 as is, INT8 through DequantizeLinear
 * with one scale per output column (axis = the last one). `gathered` names an input
 * whose leading dimensions select rows first (Gather before dequantizing, so only the
 * rows a text uses are converted).
 */
function weightsOf(
  prefix: string,
  layer: DenseLayer | QuantizedLayer,
  initializers: OnnxTensor[],
  nodes: OnnxNode[],
  gathered?: string,
): string {
  initializers.push(initializer(`${prefix}.weights`, [layer.rows, layer.cols], layer.weights));
  let weights = `${prefix}.weights`;
  if (gathered) {
    nodes.push(node('Gather', [weights, gathered], [`${prefix}.rows`], { axis: 0 }));
    weights = `${prefix}.rows`;
  }
  if (!('scales' in layer)) return weights;
  initializers.push(initializer(`${prefix}.scales`, [layer.cols], layer.scales));
  initializers.push(initializer(`${prefix}.zero_points`, [layer.cols], new Int8Array(layer.cols)));
  nodes.push(node('DequantizeLinear', [weights, `${prefix}.scales`, `${prefix}.zero_points`], [`${prefix}.dequantized`], { axis: -1 }));
  return `${prefix}.dequantized`;
}

/**
 * The ONNX graph of a text network. Input: a batch of sparse feature vectors from
 * the model's own featurizer, padded to the longest (index 0 with value 0 adds
 * nothing): `indices` int64 [batch, n] and `values` float [batch, n].
 * Graph: Gather(rows of the first layer) × values, summed → + bias (→ ReLU → MatMul
 * + bias for an MLP) → Softmax → `probabilities` [batch, classes].
 */
export function textNetworkToOnnx(network: TextNetwork | QuantizedNetwork, metadata: Record<string, string>): Uint8Array {
  const [first, second] = network.layers as [DenseLayer | QuantizedLayer, DenseLayer | QuantizedLayer | undefined];
  const initializers: OnnxTensor[] = [
    initializer('axes.last', [1], BigInt64Array.from([-1n])),
    initializer('axes.features', [1], BigInt64Array.from([1n])),
    initializer('layer0.bias', [first.cols], first.bias),
  ];
  const nodes: OnnxNode[] = [];
  const rows = weightsOf('layer0', first, initializers, nodes, ONNX_INPUTS.indices);
  nodes.push(
    node('Unsqueeze', [ONNX_INPUTS.values, 'axes.last'], ['values.column']),
    node('Mul', [rows, 'values.column'], ['layer0.weighted']),
    node('ReduceSum', ['layer0.weighted', 'axes.features'], ['layer0.sum'], { keepdims: 0 }),
    node('Add', ['layer0.sum', 'layer0.bias'], ['layer0.out']),
  );
  let logits = 'layer0.out';
  if (second) {
    initializers.push(initializer('layer1.bias', [second.cols], second.bias));
    const weights = weightsOf('layer1', second, initializers, nodes);
    nodes.push(
      node('Relu', ['layer0.out'], ['hidden']),
      node('MatMul', ['hidden', weights], ['layer1.product']),
      node('Add', ['layer1.product', 'layer1.bias'], ['layer1.out']),
    );
    logits = 'layer1.out';
  }
  nodes.push(node('Softmax', [logits], [ONNX_OUTPUT], { axis: -1 }));
  const classes = network.labels.length;
  return encodeModel({
    name: `opsbot-${network.kind}`,
    nodes,
    initializers,
    inputs: [valueInfo(ONNX_INPUTS.indices, DataType.INT64, ['batch', 'features']), valueInfo(ONNX_INPUTS.values, DataType.FLOAT, ['batch', 'features'])],
    outputs: [valueInfo(ONNX_OUTPUT, DataType.FLOAT, ['batch', classes])],
    metadata: { labels: JSON.stringify(network.labels), ...metadata },
    docString: 'opsbot text classifier: feed the sparse TF-IDF vectors of its featurizer (model.json next to this file), padded per batch.',
  });
}
