import type { DenseLayer, NetworkKind, TextNetwork } from './text-network.js';

/** A layer with INT8 weights and one float scale per output column (symmetric: zero point 0). */
export interface QuantizedLayer {
  rows: number;
  cols: number;
  weights: Int8Array;
  scales: Float32Array;
  /** Biases stay float: there are few of them, and they shift every logit. */
  bias: Float32Array;
}

export interface QuantizedNetwork {
  kind: NetworkKind;
  labels: string[];
  layers: QuantizedLayer[];
}

/**
 * Symmetric per-column INT8: each output unit's weights share one scale, max|w| / 127.
 * Per column rather than per row because the sparse first layer has 2^18 rows and
 * only a handful of columns, so per-row scales would outweigh the weights themselves.
 */
export function quantizeLayer(layer: DenseLayer): QuantizedLayer {
  const { rows, cols } = layer;
  const maxAbs = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) maxAbs[c] = Math.max(maxAbs[c] as number, Math.abs(layer.weights[r * cols + c] as number));
  }
  const scales = Float32Array.from(maxAbs, (m) => (m > 0 ? m / 127 : 1));
  const weights = new Int8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const q = Math.round((layer.weights[r * cols + c] as number) / (scales[c] as number));
      weights[r * cols + c] = Math.max(-127, Math.min(127, q));
    }
  }
  return { rows, cols, weights, scales, bias: layer.bias.slice() };
}

export function quantizeNetwork(network: TextNetwork): QuantizedNetwork {
  return { kind: network.kind, labels: [...network.labels], layers: network.layers.map(quantizeLayer) };
}

/**
 * The float network an INT8 one stands for, computed as ONNX's DequantizeLinear does
 * (q × scale, rounded to float32), so JS inference matches the INT8 ONNX model.
 */
export function dequantizeNetwork(network: QuantizedNetwork): TextNetwork {
  return {
    kind: network.kind,
    labels: [...network.labels],
    layers: network.layers.map((l) => {
      const weights = new Float32Array(l.weights.length);
      for (let i = 0; i < weights.length; i++) weights[i] = (l.weights[i] as number) * (l.scales[i % l.cols] as number);
      return { rows: l.rows, cols: l.cols, weights, bias: l.bias.slice() };
    }),
  };
}
