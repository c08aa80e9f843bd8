/**
 * The part of WebAssembly this project uses, typed (the DOM library that declares it is not in a Node build), and
 * whether the runtime has what the ALS kernels in src/recommend/als/wasm need: 128-bit SIMD and shared memory.
 */
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- WebAssembly is a global namespace: only this declares it
  namespace WebAssembly {
    interface MemoryDescriptor {
      initial: number;
      maximum?: number;
      shared?: boolean;
    }
    class Memory {
      constructor(descriptor: MemoryDescriptor);
      readonly buffer: ArrayBuffer | SharedArrayBuffer;
      grow(pages: number): number;
    }
    class Module {
      constructor(bytes: Uint8Array);
    }
    class Instance {
      constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
      readonly exports: Record<string, unknown>;
    }
    function validate(bytes: Uint8Array): boolean;
  }
}

/** A module of one function returning i8x16.popcnt(i8x16.splat(0)): valid only where the runtime has SIMD. */
const simdProbe = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

/** Whether this runtime runs WebAssembly with 128-bit SIMD and shared memory (what the wasm ALS kernels use). */
export function wasmSimdSupported(): boolean {
  return typeof WebAssembly === 'object' && typeof SharedArrayBuffer === 'function' && WebAssembly.validate(simdProbe);
}
