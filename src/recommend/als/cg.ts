import type { RowScratch } from './half-step.js';
import { multiplyVector } from './eigen.js';
import { addWeightedRows, regularizedProduct } from './kernels.js';

/**
 * The fixed side's Gram matrix as Q·diag(values)·Qᵀ (qT = Qᵀ, row-major): in that basis YᵀY·p costs k products
 * instead of k², so a CG row solve does one k² rotation instead of steps + 1 k² products.
 */
export interface EigenBasis {
  readonly values: Float64Array;
  readonly qT: Float64Array;
}

/** implicit's stopping rule: a squared residual this small means the row is solved. */
const residualFloor = 1e-20;

/**
 * One row's ALS update by conjugate gradient, as the `implicit` library's least_squares_cg: warm-started from the
 * row's current factors own[ownRow·k ..], `steps` iterations, with A = YᵀY + λI + Yᵀ(C − I)Y applied as
 * (YᵀY + λI)·p plus a sum over the row's entries, so Yᵀ(C − I)Y is never formed. Updates own in place.
 * With `basis`, both sides are being moved into the eigenbasis of the fixed side's Gram matrix: `other` holds its
 * rows there already (Qᵀy) and `gram` is unused; the warm start is rotated in (Qᵀx) and the row stays there. ALS is
 * invariant under a rotation of both sides (x·y = Qᵀx·Qᵀy), and CG's iterates are the same up to rounding.
 */
export function solveRowCg(
  other: Float32Array,
  rank: number,
  gram: Float64Array,
  indices: Int32Array,
  confidence: Float32Array,
  start: number,
  end: number,
  lambda: number,
  steps: number,
  own: Float32Array,
  ownRow: number,
  scratch: RowScratch,
  basis: EigenBasis | null = null,
): void {
  const k = rank;
  const { x, r, p, ap } = scratch;
  const ownBase = ownRow * k;
  if (basis === null) {
    for (let i = 0; i < k; i++) x[i] = own[ownBase + i];
  } else {
    for (let i = 0; i < k; i++) ap[i] = own[ownBase + i];
    multiplyVector(basis.qT, k, ap, x);
  }
  // r = YᵀC·p − A·x
  systemProduct(gram, basis, k, lambda, x, r);
  for (let i = 0; i < k; i++) r[i] = -r[i];
  addWeightedRows(other, k, indices, confidence, start, end, x, r, true);

  let rsOld = 0;
  for (let i = 0; i < k; i++) {
    p[i] = r[i];
    rsOld += r[i] * r[i];
  }
  if (rsOld < residualFloor) {
    for (let i = 0; i < k; i++) own[ownBase + i] = x[i];
    return;
  }

  for (let step = 0; step < steps; step++) {
    systemProduct(gram, basis, k, lambda, p, ap);
    addWeightedRows(other, k, indices, confidence, start, end, p, ap, false);
    let pAp = 0;
    for (let i = 0; i < k; i++) pAp += p[i] * ap[i];
    const stepSize = rsOld / pAp;
    let rsNew = 0;
    for (let i = 0; i < k; i++) {
      x[i] += stepSize * p[i];
      r[i] -= stepSize * ap[i];
      rsNew += r[i] * r[i];
    }
    if (rsNew < residualFloor) break;
    const beta = rsNew / rsOld;
    for (let i = 0; i < k; i++) p[i] = r[i] + beta * p[i];
    rsOld = rsNew;
  }
  for (let i = 0; i < k; i++) own[ownBase + i] = x[i];
}

/** out = (YᵀY + λI)·v, with YᵀY as given or, in the eigenbasis, diagonal. */
function systemProduct(gram: Float64Array, basis: EigenBasis | null, k: number, lambda: number, v: Float64Array, out: Float64Array): void {
  if (basis === null) {
    regularizedProduct(gram, k, lambda, v, out);
    return;
  }
  const values = basis.values;
  for (let i = 0; i < k; i++) out[i] = (values[i] + lambda) * v[i];
}
