/** The names of the ONNX graph's inputs and output, apart from the graph builder so readers need not load onnx-proto. */
export const ONNX_INPUTS = { indices: 'indices', values: 'values' } as const;
export const ONNX_OUTPUT = 'probabilities';
