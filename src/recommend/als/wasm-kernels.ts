import { readFileSync } from 'node:fs';
import { jsKernels, type AlsKernels } from './kernel-set.js';

/** The exports of wasm/kernels.as.ts: every array argument is a byte offset into the imported memory. */
interface KernelExports {
  addWeightedRows(other: number, k: number, indices: number, confidence: number, start: number, end: number, v: number, out: number, residual: number, single: number): void;
  regularizedProduct(g: number, k: number, lambda: number, v: number, out: number): void;
  observedLoss(own: number, ownBase: number, other: number, k: number, indices: number, confidence: number, start: number, end: number): number;
  accumulateGram(f: number, first: number, last: number, k: number, out: number): void;
  solveRowCg(
    other: number, k: number, indices: number, confidence: number, start: number, end: number, lambda: number,
    steps: number, own: number, ownRow: number, x: number, r: number, p: number, ap: number, single: number, eigenValues: number, matrix32: number,
  ): void;
  solveRowsCg(
    other: number, k: number, gram: number, indptr: number, indices: number, confidence: number, first: number, last: number,
    regularization: number, scale: number, steps: number, own: number, x: number, r: number, p: number, ap: number, single: number,
    eigenValues: number, qT: number, matrix32: number, withObservedLoss: number,
  ): number;
  sumGramPartials(partials: number, count: number, k: number, out: number): void;
  rotateRowsInPlace(f: number, rows: number, k: number, qT: number, row: number, rotated: number): void;
  symmetricEigen(g: number, k: number, values: number, vectors: number, m: number): void;
}

let compiled: WebAssembly.Module | null = null;

/**
 * The compiled kernels, once per thread. Reading kernels.wasm (built next to this file by `npm run build`) is the
 * one file read in src/recommend: the maths' own compiled code, not data (docs/architecture.md).
 */
function kernelModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(readFileSync(new URL('./wasm/kernels.wasm', import.meta.url)));
  return compiled;
}

type Typed = Float32Array | Float64Array | Int32Array;

/** The wasm kernels over `memory` (a shared memory from createWasmArena); every array given must be a view of it. */
export function createWasmKernels(memory: WebAssembly.Memory): AlsKernels {
  const instance = new WebAssembly.Instance(kernelModule(), { env: { memory } });
  const e = instance.exports as unknown as KernelExports;
  let size = memory.buffer.byteLength;
  /** The array's offset in the kernels' memory; an array elsewhere is a programming error, never silently misread. */
  const at = (a: Typed): number => {
    if (a.byteOffset + a.byteLength > size) size = memory.buffer.byteLength;
    if (!(a.buffer instanceof SharedArrayBuffer) || a.byteOffset + a.byteLength > size) {
      throw new Error('ALS wasm kernels: an array is not in the kernels\' WebAssembly memory');
    }
    return a.byteOffset;
  };
  return {
    name: 'wasm',
    addWeightedRows(other, k, indices, confidence, start, end, v, out, residual, scratch) {
      e.addWeightedRows(at(other), k, at(indices), at(confidence), start, end, at(v), at(out), residual ? 1 : 0, at(scratch.single));
    },
    regularizedProduct(g, k, lambda, v, out) {
      e.regularizedProduct(at(g), k, lambda, at(v), at(out));
    },
    observedLoss: (own, ownBase, other, k, indices, confidence, start, end) =>
      e.observedLoss(at(own), ownBase, at(other), k, at(indices), at(confidence), start, end),
    accumulateGram(f, first, last, k, out, offset) {
      e.accumulateGram(at(f), first, last, k, at(out) + offset * 8);
    },
    solveRowCg(other, k, gram, indices, confidence, start, end, lambda, steps, own, ownRow, scratch, basis) {
      const { x, r, p, ap, single, a } = scratch;
      // Qᵀ in the eigenbasis, else YᵀY, in float32, as solveRowsCg makes it.
      new Float32Array(a.buffer, a.byteOffset, k * k).set(basis === null ? gram.subarray(0, k * k) : basis.qT);
      e.solveRowCg(
        at(other), k, at(indices), at(confidence), start, end, lambda, steps, at(own), ownRow,
        at(x), at(r), at(p), at(ap), at(single), basis === null ? 0 : at(basis.values), at(a),
      );
    },
    solveRowsCg(t) {
      const { x, r, p, ap, single, a } = t.scratch;
      const { indptr, indices, values } = t.ratings;
      return e.solveRowsCg(
        at(t.other), t.rank, at(t.gram), at(indptr), at(indices), at(values), t.first, t.last, t.regularization,
        t.scaleRegularization ? 1 : 0, t.cgSteps, at(t.own), at(x), at(r), at(p), at(ap), at(single),
        t.basis === null ? 0 : at(t.basis.values), t.basis === null ? 0 : at(t.basis.qT), at(a), t.observedLoss ? 1 : 0,
      );
    },
    sumGramPartials(partials, count, k, out) {
      e.sumGramPartials(at(partials), count, k, at(out));
    },
    symmetricEigen(g, k, values, vectors, scratch) {
      e.symmetricEigen(at(g), k, at(values), at(vectors), at(scratch.a));
    },
    rotateRowsInPlace(f, rows, k, qT, scratch) {
      e.rotateRowsInPlace(at(f), rows, k, at(qT), at(scratch.x), at(scratch.ap));
    },
  };
}

/** The kernels that read a training state's arrays: the wasm ones over its memory, or the TypeScript ones. */
export function kernelsFor(memory: WebAssembly.Memory | null): AlsKernels {
  return memory === null ? jsKernels : createWasmKernels(memory);
}
