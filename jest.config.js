/** Jest runs in ESM mode because several dependencies are ESM-only (see ../shared/STACK.md). */
export default {
  // Node's environment, but with the outer realm's typed arrays: onnxruntime-node checks
  // `instanceof Float32Array`, and training runs ONNX in many integration tests.
  testEnvironment: '<rootDir>/test/helpers/onnx-environment.ts',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  testTimeout: 30000,
};
