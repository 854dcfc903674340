import { TestEnvironment as NodeEnvironment } from 'jest-environment-node';

type EnvironmentArgs = ConstructorParameters<typeof NodeEnvironment>;

/**
 * jest's node environment runs tests in a separate realm, so typed arrays made in a
 * test fail onnxruntime-node's `instanceof Float32Array` checks ("A float32 tensor's
 * data must be type of function Float32Array()"). This environment hands the test
 * realm the outer realm's typed-array constructors. Use it with a
 * `@jest-environment ./test/helpers/onnx-environment.ts` docblock.
 */
export default class OnnxEnvironment extends NodeEnvironment {
  constructor(...args: EnvironmentArgs) {
    super(...args);
    const shared = [
      'ArrayBuffer',
      'SharedArrayBuffer',
      'DataView',
      'Int8Array',
      'Uint8Array',
      'Uint8ClampedArray',
      'Int16Array',
      'Uint16Array',
      'Int32Array',
      'Uint32Array',
      'Float32Array',
      'Float64Array',
      'BigInt64Array',
      'BigUint64Array',
    ] as const;
    for (const name of shared) this.global[name] = globalThis[name] as never;
  }
}
