import type { RowScratch } from './half-step.js';
import { addWeightedRows, regularizedProduct } from './kernels.js';

/** implicit's stopping rule: a squared residual this small means the row is solved. */
const residualFloor = 1e-20;

/**
 * One row's ALS update by conjugate gradient, as the `implicit` library's least_squares_cg: warm-started from the
 * row's current factors own[ownRow·k ..], `steps` iterations, with A = YᵀY + λI + Yᵀ(C − I)Y applied as
 * (YᵀY + λI)·p plus a sum over the row's entries, so Yᵀ(C − I)Y is never formed. Updates own in place.
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
): void {
  const k = rank;
  const { x, r, p, ap } = scratch;
  const ownBase = ownRow * k;
  for (let i = 0; i < k; i++) x[i] = own[ownBase + i];

  // r = YᵀC·p − A·x
  regularizedProduct(gram, k, lambda, x, r);
  for (let i = 0; i < k; i++) r[i] = -r[i];
  addWeightedRows(other, k, indices, confidence, start, end, x, r, true);

  let rsOld = 0;
  for (let i = 0; i < k; i++) {
    p[i] = r[i];
    rsOld += r[i] * r[i];
  }
  if (rsOld < residualFloor) return;

  for (let step = 0; step < steps; step++) {
    regularizedProduct(gram, k, lambda, p, ap);
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
