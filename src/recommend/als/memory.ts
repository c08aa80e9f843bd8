/** Where training's typed arrays live: ordinary memory, shared memory for worker threads, or the wasm kernels' memory. */
export interface Allocator {
  readonly f32: (n: number) => Float32Array;
  readonly f64: (n: number) => Float64Array;
  readonly i32: (n: number) => Int32Array;
  /** The WebAssembly memory every array is in, for the wasm kernels; null for the others. */
  readonly memory: WebAssembly.Memory | null;
}

export const plainAllocator: Allocator = {
  f32: (n) => new Float32Array(n),
  f64: (n) => new Float64Array(n),
  i32: (n) => new Int32Array(n),
  memory: null,
};

export const sharedAllocator: Allocator = {
  f32: (n) => new Float32Array(new SharedArrayBuffer(n * 4)),
  f64: (n) => new Float64Array(new SharedArrayBuffer(n * 8)),
  i32: (n) => new Int32Array(new SharedArrayBuffer(n * 4)),
  memory: null,
};

const pageBytes = 65_536;
/** wasm32's limit, and the maximum kernels.wasm declares for the memory it imports. */
export const maxWasmPages = 65_536;
/** Offset 0 stays unused: the kernels read a 0 offset as "no array". */
const firstOffset = 64;

/** Thrown when training's arrays do not fit in a wasm32 memory (4 GiB). */
export class WasmMemoryFullError extends Error {}

/**
 * Arrays one after the other (16-byte aligned) in a shared WebAssembly memory that grows as they are allocated;
 * a shared memory never moves, so views made before a growth stay valid.
 */
export function createWasmArena(): Allocator {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: maxWasmPages, shared: true });
  let next = firstOffset;
  const reserve = (bytes: number): number => {
    const offset = next;
    const end = offset + bytes;
    const have = memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / pageBytes);
      if (have / pageBytes + pages > maxWasmPages) throw new WasmMemoryFullError(`ALS: ${end} bytes do not fit in WebAssembly's 4 GiB`);
      memory.grow(pages);
    }
    next = Math.ceil(end / 16) * 16;
    return offset;
  };
  // The offset first: reserving may grow the memory, and only the buffer read after that covers the new bytes.
  const view = <T>(make: (buffer: ArrayBufferLike, offset: number) => T, bytes: number): T => {
    const offset = reserve(bytes);
    return make(memory.buffer, offset);
  };
  return {
    f32: (n) => view((b, o) => new Float32Array(b, o, n), n * 4),
    f64: (n) => view((b, o) => new Float64Array(b, o, n), n * 8),
    i32: (n) => view((b, o) => new Int32Array(b, o, n), n * 4),
    memory,
  };
}
