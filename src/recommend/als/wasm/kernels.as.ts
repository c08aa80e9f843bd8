// The ALS kernels in AssemblyScript with 128-bit SIMD, compiled by `npm run build` (asc) to kernels.wasm; the
// TypeScript kernels (../kernels.ts, ../gram.ts, ../cg.ts) are the reference. Every argument named like an array
// is a byte offset into the memory the host imports (shared by the training threads); nothing here allocates.
// Factors are float32 and multiplied four lanes at a time (f32x4); what a row's result is summed into stays float64.

/** The sum of a f32x4's lanes, pairwise as the scalar kernels add their accumulators. */
@inline
function laneSum(s: v128): f64 {
  return <f64>(f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1)) + <f64>(f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3));
}

/** dst[0..k) = the f64 vector src rounded to float32, so its products with factor rows run four lanes wide. */
@inline
function toSingle(src: usize, k: i32, dst: usize): void {
  let i = 0;
  for (; i + 3 < k; i += 4) {
    const lo = f32x4.demote_f64x2_zero(v128.load(src + (<usize>i << 3)));
    const hi = f32x4.demote_f64x2_zero(v128.load(src + (<usize>i << 3), 16));
    v128.store(dst + (<usize>i << 2), i32x4.shuffle(lo, hi, 0, 1, 4, 5));
  }
  for (; i < k; i++) store<f32>(dst + (<usize>i << 2), <f32>load<f64>(src + (<usize>i << 3)));
}

/** dst[0..k) (f64) = the float32 vector src. */
@inline
function toDouble(src: usize, k: i32, dst: usize): void {
  let i = 0;
  for (; i + 3 < k; i += 4) {
    const v = v128.load(src + (<usize>i << 2));
    v128.store(dst + (<usize>i << 3), f64x2.promote_low_f32x4(v));
    v128.store(dst + (<usize>i << 3), f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 2, 3)), 16);
  }
  for (; i < k; i++) store<f64>(dst + (<usize>i << 3), <f64>load<f32>(src + (<usize>i << 2)));
}

@inline
function coefficient(signedConfidence: f64, dot: f64, residual: bool): f64 {
  const c = signedConfidence < 0 ? -signedConfidence : signedConfidence;
  const data = (c - 1) * dot;
  return residual ? (signedConfidence > 0 ? c : 0) - data : data;
}

/** out[j..j+3] (f64) += the four lanes of t (f32). */
@inline
function addLanes(out: usize, t: v128): void {
  v128.store(out, f64x2.add(v128.load(out), f64x2.promote_low_f32x4(t)));
  v128.store(out, f64x2.add(v128.load(out, 16), f64x2.promote_low_f32x4(i32x4.shuffle(t, t, 2, 3, 2, 3))), 16);
}

/**
 * out += Σ coef_n·y_n over the entries n in [start, end) (see ../kernels.ts addWeightedRows): y_n·v in f32x4 lanes,
 * each group of four rows' Σ coef·y in f32x4 lanes, added to out in float64. single: k float32 of scratch.
 */
export function addWeightedRows(
  other: usize, k: i32, indices: usize, confidence: usize, start: i32, end: i32, v: usize, out: usize, residual: bool, single: usize,
): void {
  toSingle(v, k, single);
  addWeightedRowsOf(other, k, indices, confidence, start, end, v, out, residual, single);
}

/** addWeightedRows with single already holding v in float32. */
function addWeightedRowsOf(
  other: usize, k: i32, indices: usize, confidence: usize, start: i32, end: i32, v: usize, out: usize, residual: bool, single: usize,
): void {
  const k4 = k & ~3;
  const rowBytes = <usize>k << 2;
  let n = start;
  for (; n + 3 < end; n += 4) {
    const at = indices + (<usize>n << 2);
    const b0 = other + <usize>load<i32>(at) * rowBytes;
    const b1 = other + <usize>load<i32>(at, 4) * rowBytes;
    const b2 = other + <usize>load<i32>(at, 8) * rowBytes;
    const b3 = other + <usize>load<i32>(at, 12) * rowBytes;
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
    let i = 0;
    for (; i < k4; i += 4) {
      const o = <usize>i << 2;
      const vv = v128.load(single + o);
      s0 = f32x4.add(s0, f32x4.mul(v128.load(b0 + o), vv));
      s1 = f32x4.add(s1, f32x4.mul(v128.load(b1 + o), vv));
      s2 = f32x4.add(s2, f32x4.mul(v128.load(b2 + o), vv));
      s3 = f32x4.add(s3, f32x4.mul(v128.load(b3 + o), vv));
    }
    let d0 = laneSum(s0), d1 = laneSum(s1), d2 = laneSum(s2), d3 = laneSum(s3);
    for (; i < k; i++) {
      const o = <usize>i << 2;
      const vi = load<f64>(v + (<usize>i << 3));
      d0 += <f64>load<f32>(b0 + o) * vi;
      d1 += <f64>load<f32>(b1 + o) * vi;
      d2 += <f64>load<f32>(b2 + o) * vi;
      d3 += <f64>load<f32>(b3 + o) * vi;
    }
    const cAt = confidence + (<usize>n << 2);
    const c0 = coefficient(<f64>load<f32>(cAt), d0, residual);
    const c1 = coefficient(<f64>load<f32>(cAt, 4), d1, residual);
    const c2 = coefficient(<f64>load<f32>(cAt, 8), d2, residual);
    const c3 = coefficient(<f64>load<f32>(cAt, 12), d3, residual);
    const w0 = f32x4.splat(<f32>c0), w1 = f32x4.splat(<f32>c1), w2 = f32x4.splat(<f32>c2), w3 = f32x4.splat(<f32>c3);
    let j = 0;
    for (; j < k4; j += 4) {
      const o = <usize>j << 2;
      const t = f32x4.add(
        f32x4.add(f32x4.mul(w0, v128.load(b0 + o)), f32x4.mul(w1, v128.load(b1 + o))),
        f32x4.add(f32x4.mul(w2, v128.load(b2 + o)), f32x4.mul(w3, v128.load(b3 + o))),
      );
      addLanes(out + (<usize>j << 3), t);
    }
    for (; j < k; j++) {
      const o = <usize>j << 2;
      const at8 = out + (<usize>j << 3);
      store<f64>(at8, load<f64>(at8) + c0 * <f64>load<f32>(b0 + o) + c1 * <f64>load<f32>(b1 + o) + (c2 * <f64>load<f32>(b2 + o) + c3 * <f64>load<f32>(b3 + o)));
    }
  }
  for (; n < end; n++) {
    const b = other + <usize>load<i32>(indices + (<usize>n << 2)) * rowBytes;
    let s = f32x4.splat(0);
    let i = 0;
    for (; i < k4; i += 4) s = f32x4.add(s, f32x4.mul(v128.load(b + (<usize>i << 2)), v128.load(single + (<usize>i << 2))));
    let d = laneSum(s);
    for (; i < k; i++) d += <f64>load<f32>(b + (<usize>i << 2)) * load<f64>(v + (<usize>i << 3));
    const c = coefficient(<f64>load<f32>(confidence + (<usize>n << 2)), d, residual);
    const w = f32x4.splat(<f32>c);
    let j = 0;
    for (; j < k4; j += 4) addLanes(out + (<usize>j << 3), f32x4.mul(w, v128.load(b + (<usize>j << 2))));
    for (; j < k; j++) {
      const at8 = out + (<usize>j << 3);
      store<f64>(at8, load<f64>(at8) + c * <f64>load<f32>(b + (<usize>j << 2)));
    }
  }
}

/** out = (G + λI)·v for a full symmetric k×k float64 G, two rows at a time in f64x2 lanes. */
export function regularizedProduct(g: usize, k: i32, lambda: f64, v: usize, out: usize): void {
  const k2 = k & ~1;
  const rowBytes = <usize>k << 3;
  let i = 0;
  for (; i + 1 < k; i += 2) {
    const r0 = g + <usize>i * rowBytes;
    const r1 = r0 + rowBytes;
    let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
    let j = 0;
    for (; j < k2; j += 2) {
      const o = <usize>j << 3;
      const vv = v128.load(v + o);
      s0 = f64x2.add(s0, f64x2.mul(v128.load(r0 + o), vv));
      s1 = f64x2.add(s1, f64x2.mul(v128.load(r1 + o), vv));
    }
    let t0 = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1);
    let t1 = f64x2.extract_lane(s1, 0) + f64x2.extract_lane(s1, 1);
    if (j < k) {
      const vj = load<f64>(v + (<usize>j << 3));
      t0 += load<f64>(r0 + (<usize>j << 3)) * vj;
      t1 += load<f64>(r1 + (<usize>j << 3)) * vj;
    }
    store<f64>(out + (<usize>i << 3), t0 + lambda * load<f64>(v + (<usize>i << 3)));
    store<f64>(out + (<usize>i << 3), t1 + lambda * load<f64>(v + (<usize>(i + 1) << 3)), 8);
  }
  if (i < k) {
    const r = g + <usize>i * rowBytes;
    let s = 0.0;
    for (let j = 0; j < k; j++) s += load<f64>(r + (<usize>j << 3)) * load<f64>(v + (<usize>j << 3));
    store<f64>(out + (<usize>i << 3), s + lambda * load<f64>(v + (<usize>i << 3)));
  }
}

@inline
function pairLoss(signedConfidence: f64, s: f64): f64 {
  const c = signedConfidence < 0 ? -signedConfidence : signedConfidence;
  const p: f64 = signedConfidence > 0 ? 1 : 0;
  return c * (p - s) * (p - s) - s * s;
}

/** out (f64x2) += the products of four float32 lanes at a and at b, in float64 (exact products). */
@inline
function dotStep(acc: v128, a: v128, b: v128): v128 {
  return f64x2.add(acc, f64x2.mul(f64x2.promote_low_f32x4(a), f64x2.promote_low_f32x4(b)));
}

@inline
function dotStepHigh(acc: v128, a: v128, b: v128): v128 {
  return f64x2.add(acc, f64x2.mul(f64x2.promote_low_f32x4(i32x4.shuffle(a, a, 2, 3, 2, 3)), f64x2.promote_low_f32x4(i32x4.shuffle(b, b, 2, 3, 2, 3))));
}

/**
 * Σ over the entries n in [start, end) of c_n(p_n − s_n)² − s_n², s_n = own row·other's row indices[n]
 * (see ../kernels.ts observedLoss); the dot products in float64, two lanes at a time, as the loss is reported.
 */
export function observedLoss(own: usize, ownBase: i32, other: usize, k: i32, indices: usize, confidence: usize, start: i32, end: i32): f64 {
  const k4 = k & ~3;
  const rowBytes = <usize>k << 2;
  const x = own + (<usize>ownBase << 2);
  let sum = 0.0;
  for (let n = start; n < end; n++) {
    const b = other + <usize>load<i32>(indices + (<usize>n << 2)) * rowBytes;
    let lo = f64x2.splat(0), hi = f64x2.splat(0);
    let i = 0;
    for (; i < k4; i += 4) {
      const o = <usize>i << 2;
      const xv = v128.load(x + o);
      const yv = v128.load(b + o);
      lo = dotStep(lo, xv, yv);
      hi = dotStepHigh(hi, xv, yv);
    }
    let s = (f64x2.extract_lane(lo, 0) + f64x2.extract_lane(lo, 1)) + (f64x2.extract_lane(hi, 0) + f64x2.extract_lane(hi, 1));
    for (; i < k; i++) s += <f64>load<f32>(b + (<usize>i << 2)) * <f64>load<f32>(x + (<usize>i << 2));
    sum += pairLoss(<f64>load<f32>(confidence + (<usize>n << 2)), s);
  }
  return sum;
}

/**
 * out[a·k + b] += Σ f_r[a]·f_r[b] over rows r in [first, last), upper triangle (b ≥ a) only, four rows at a time:
 * the same float64 operations in the same order as ../gram.ts accumulateGram, so the same sums to the bit.
 */
export function accumulateGram(f: usize, first: i32, last: i32, k: i32, out: usize): void {
  const rowBytes = <usize>k << 2;
  let r = first;
  for (; r + 3 < last; r += 4) {
    const b0 = f + <usize>r * rowBytes;
    const b1 = b0 + rowBytes;
    const b2 = b1 + rowBytes;
    const b3 = b2 + rowBytes;
    for (let a = 0; a < k; a++) {
      const oa = <usize>a << 2;
      const x0 = f64x2.splat(<f64>load<f32>(b0 + oa));
      const x1 = f64x2.splat(<f64>load<f32>(b1 + oa));
      const x2 = f64x2.splat(<f64>load<f32>(b2 + oa));
      const x3 = f64x2.splat(<f64>load<f32>(b3 + oa));
      const row = out + (<usize>a * <usize>k << 3);
      let b = a;
      for (; b + 1 < k; b += 2) {
        const o = <usize>b << 2;
        const y0 = f64x2.promote_low_f32x4(v128.load64_zero(b0 + o));
        const y1 = f64x2.promote_low_f32x4(v128.load64_zero(b1 + o));
        const y2 = f64x2.promote_low_f32x4(v128.load64_zero(b2 + o));
        const y3 = f64x2.promote_low_f32x4(v128.load64_zero(b3 + o));
        const at = row + (<usize>b << 3);
        const t = f64x2.add(f64x2.add(f64x2.mul(x0, y0), f64x2.mul(x1, y1)), f64x2.add(f64x2.mul(x2, y2), f64x2.mul(x3, y3)));
        v128.store(at, f64x2.add(v128.load(at), t));
      }
      if (b < k) {
        const o = <usize>b << 2;
        const at = row + (<usize>b << 3);
        const t =
          f64x2.extract_lane(x0, 0) * <f64>load<f32>(b0 + o) + f64x2.extract_lane(x1, 0) * <f64>load<f32>(b1 + o) +
          (f64x2.extract_lane(x2, 0) * <f64>load<f32>(b2 + o) + f64x2.extract_lane(x3, 0) * <f64>load<f32>(b3 + o));
        store<f64>(at, load<f64>(at) + t);
      }
    }
  }
  for (; r < last; r++) {
    const base = f + <usize>r * rowBytes;
    for (let a = 0; a < k; a++) {
      const xa = <f64>load<f32>(base + (<usize>a << 2));
      const row = out + (<usize>a * <usize>k << 3);
      for (let b = a; b < k; b++) {
        const at = row + (<usize>b << 3);
        store<f64>(at, load<f64>(at) + xa * <f64>load<f32>(base + (<usize>b << 2)));
      }
    }
  }
}

/**
 * out = (YᵀY + λI)·v: YᵀY·v from gram32, a float32 copy of YᵀY, times single (v in float32) four lanes wide, or
 * diagonal (eigenValues) in the eigenbasis; λv in float64.
 */
@inline
function systemProduct(gram32: usize, eigenValues: usize, k: i32, lambda: f64, v: usize, single: usize, out: usize): void {
  if (eigenValues == 0) {
    multiplyFloat32(gram32, k, single, out);
    for (let i = 0; i < k; i++) {
      const o = <usize>i << 3;
      store<f64>(out + o, load<f64>(out + o) + lambda * load<f64>(v + o));
    }
    return;
  }
  for (let i = 0; i < k; i++) {
    const o = <usize>i << 3;
    store<f64>(out + o, (load<f64>(eigenValues + o) + lambda) * load<f64>(v + o));
  }
}

/** Σ a_i·b_i over k float64, two lanes wide. */
@inline
function dot(a: usize, b: usize, k: i32): f64 {
  let s = f64x2.splat(0);
  let i = 0;
  for (; i + 1 < k; i += 2) s = f64x2.add(s, f64x2.mul(v128.load(a + (<usize>i << 3)), v128.load(b + (<usize>i << 3))));
  let t = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  if (i < k) t += load<f64>(a + (<usize>i << 3)) * load<f64>(b + (<usize>i << 3));
  return t;
}

/** out = m·v for a row-major k×k float32 matrix and a float32 vector, four lanes wide, each row summed into float64. */
@inline
function multiplyFloat32(m32: usize, k: i32, v32: usize, out: usize): void {
  const k4 = k & ~3;
  const rowBytes = <usize>k << 2;
  for (let i = 0; i < k; i++) {
    const row = m32 + <usize>i * rowBytes;
    let s = f32x4.splat(0);
    let j = 0;
    for (; j < k4; j += 4) s = f32x4.add(s, f32x4.mul(v128.load(row + (<usize>j << 2)), v128.load(v32 + (<usize>j << 2))));
    let t = laneSum(s);
    for (; j < k; j++) t += <f64>load<f32>(row + (<usize>j << 2)) * <f64>load<f32>(v32 + (<usize>j << 2));
    store<f64>(out + (<usize>i << 3), t);
  }
}

const residualFloor: f64 = 1e-20;

/**
 * One row's CG update, step for step ../cg.ts solveRowCg: warm start from own's row (rotated by Qᵀ when
 * eigenValues is not 0), A = YᵀY + λI + Yᵀ(C − I)Y, `steps` iterations, the result written back to own's row.
 * matrix32: a float32 copy of Qᵀ in the eigenbasis, else of YᵀY (k² float32). x, r, p, ap: k float64 each;
 * single: k float32.
 */
export function solveRowCg(
  other: usize, k: i32, indices: usize, confidence: usize, start: i32, end: i32, lambda: f64, steps: i32,
  own: usize, ownRow: i32, x: usize, r: usize, p: usize, ap: usize, single: usize, eigenValues: usize, matrix32: usize,
): void {
  const ownBase = own + (<usize>ownRow * <usize>k << 2);
  if (eigenValues == 0) toDouble(ownBase, k, x);
  else multiplyFloat32(matrix32, k, ownBase, x); // the warm start in the eigenbasis: qT·(own row)
  toSingle(x, k, single);
  systemProduct(matrix32, eigenValues, k, lambda, x, single, r);
  const k2 = k & ~1;
  const zero = f64x2.splat(0);
  for (let i = 0; i < k2; i += 2) v128.store(r + (<usize>i << 3), f64x2.sub(zero, v128.load(r + (<usize>i << 3))));
  if (k2 < k) store<f64>(r + (<usize>k2 << 3), -load<f64>(r + (<usize>k2 << 3)));
  addWeightedRowsOf(other, k, indices, confidence, start, end, x, r, true, single);

  memory.copy(p, r, <usize>k << 3);
  let rsOld = dot(r, r, k);
  if (rsOld >= residualFloor) {
    for (let step = 0; step < steps; step++) {
      toSingle(p, k, single);
      systemProduct(matrix32, eigenValues, k, lambda, p, single, ap);
      addWeightedRowsOf(other, k, indices, confidence, start, end, p, ap, false, single);
      const stepSize = rsOld / dot(p, ap, k);
      const sv = f64x2.splat(stepSize);
      let acc = f64x2.splat(0);
      let i = 0;
      for (; i < k2; i += 2) {
        const o = <usize>i << 3;
        v128.store(x + o, f64x2.add(v128.load(x + o), f64x2.mul(sv, v128.load(p + o))));
        const ri = f64x2.sub(v128.load(r + o), f64x2.mul(sv, v128.load(ap + o)));
        v128.store(r + o, ri);
        acc = f64x2.add(acc, f64x2.mul(ri, ri));
      }
      let rsNew = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
      if (i < k) {
        const o = <usize>i << 3;
        store<f64>(x + o, load<f64>(x + o) + stepSize * load<f64>(p + o));
        const ri = load<f64>(r + o) - stepSize * load<f64>(ap + o);
        store<f64>(r + o, ri);
        rsNew += ri * ri;
      }
      if (rsNew < residualFloor) break;
      const bv = f64x2.splat(rsNew / rsOld);
      i = 0;
      for (; i < k2; i += 2) {
        const o = <usize>i << 3;
        v128.store(p + o, f64x2.add(v128.load(r + o), f64x2.mul(bv, v128.load(p + o))));
      }
      if (i < k) store<f64>(p + (<usize>i << 3), load<f64>(r + (<usize>i << 3)) + (rsNew / rsOld) * load<f64>(p + (<usize>i << 3)));
      rsOld = rsNew;
    }
  }
  toSingle(x, k, ownBase);
}

/**
 * CG (solveRowCg) on rows [first, last) of own, row r's entries [indptr[r], indptr[r + 1]) and λ_r = regularization,
 * times the entry count when scale; a row without entries becomes 0. Returns Σ λ_r‖x_r‖², plus with
 * withObservedLoss the rows' observedLoss, as ../rows.ts solveRows. matrix32: k² float32 of work space (solveRowCg).
 */
export function solveRowsCg(
  other: usize, k: i32, gram: usize, indptr: usize, indices: usize, confidence: usize, first: i32, last: i32,
  regularization: f64, scale: bool, steps: i32, own: usize, x: usize, r: usize, p: usize, ap: usize, single: usize,
  eigenValues: usize, qT: usize, matrix32: usize, withObservedLoss: bool,
): f64 {
  toSingle(eigenValues != 0 ? qT : gram, k * k, matrix32);
  let loss = 0.0;
  for (let row = first; row < last; row++) {
    const start = load<i32>(indptr + (<usize>row << 2));
    const end = load<i32>(indptr + (<usize>row << 2), 4);
    const base = own + (<usize>row * <usize>k << 2);
    if (start == end) {
      for (let i = 0; i < k; i++) store<f32>(base + (<usize>i << 2), 0);
      continue;
    }
    const lambda = scale ? regularization * <f64>(end - start) : regularization;
    solveRowCg(other, k, indices, confidence, start, end, lambda, steps, own, row, x, r, p, ap, single, eigenValues, matrix32);
    let norm = 0.0;
    for (let i = 0; i < k; i++) {
      const v = <f64>load<f32>(base + (<usize>i << 2));
      norm += v * v;
    }
    loss += lambda * norm;
    if (withObservedLoss) loss += observedLoss(own, row * k, other, k, indices, confidence, start, end);
  }
  return loss;
}

/** out = the full symmetric k×k sum of `count` upper-triangle partials (k² apart), added in index order. */
export function sumGramPartials(partials: usize, count: i32, k: i32, out: usize): void {
  const size = <usize>k * <usize>k;
  memory.fill(out, 0, size << 3);
  for (let c = 0; c < count; c++) {
    const part = partials + ((<usize>c * size) << 3);
    for (let a = 0; a < k; a++) {
      const row = <usize>a * <usize>k;
      let b = a;
      for (; b + 1 < k; b += 2) {
        const o = (row + <usize>b) << 3;
        v128.store(out + o, f64x2.add(v128.load(out + o), v128.load(part + o)));
      }
      if (b < k) {
        const o = (row + <usize>b) << 3;
        store<f64>(out + o, load<f64>(out + o) + load<f64>(part + o));
      }
    }
  }
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < a; b++) store<f64>(out + ((<usize>a * <usize>k + <usize>b) << 3), load<f64>(out + ((<usize>b * <usize>k + <usize>a) << 3)));
  }
}

/** Each of `rows` float32 rows of f replaced by qT·row (qT: k×k float64): the rows in the basis Q. row, rotated: k float64. */
export function rotateRowsInPlace(f: usize, rows: i32, k: i32, qT: usize, row: usize, rotated: usize): void {
  for (let n = 0; n < rows; n++) {
    const base = f + (<usize>n * <usize>k << 2);
    for (let i = 0; i < k; i++) store<f64>(row + (<usize>i << 3), <f64>load<f32>(base + (<usize>i << 2)));
    regularizedProduct(qT, k, 0, row, rotated);
    for (let i = 0; i < k; i++) store<f32>(base + (<usize>i << 2), <f32>load<f64>(rotated + (<usize>i << 3)));
  }
}

/**
 * Eigendecomposition of the symmetric k×k g by cyclic Jacobi rotations, operation for operation ../eigen.ts
 * symmetricEigen (so the same bits): g = Q·diag(values)·Qᵀ, Q row-major in vectors. m: k² float64 of work space.
 */
export function symmetricEigen(g: usize, k: i32, values: usize, vectors: usize, m: usize): void {
  const size = <usize>k * <usize>k;
  memory.copy(m, g, size << 3);
  memory.fill(vectors, 0, size << 3);
  for (let i = 0; i < k; i++) store<f64>(vectors + ((<usize>i * <usize>k + <usize>i) << 3), 1);
  let scale = 0.0;
  for (let i: usize = 0; i < size; i++) {
    const v = load<f64>(m + (i << 3));
    scale += v * v;
  }
  const floor = scale * 1e-30;
  for (let sweep = 0; sweep < 64; sweep++) {
    let off = 0.0;
    for (let p = 0; p < k; p++) {
      for (let q = p + 1; q < k; q++) {
        const v = load<f64>(m + ((<usize>p * <usize>k + <usize>q) << 3));
        off += v * v;
      }
    }
    if (off <= floor) break;
    for (let p = 0; p < k - 1; p++) {
      for (let q = p + 1; q < k; q++) {
        const apq = load<f64>(m + ((<usize>p * <usize>k + <usize>q) << 3));
        if (apq * apq <= floor) continue;
        jacobiRotate(m, vectors, k, p, q, apq);
      }
    }
  }
  for (let i = 0; i < k; i++) store<f64>(values + (<usize>i << 3), load<f64>(m + ((<usize>i * <usize>k + <usize>i) << 3)));
}

@inline
function cell(a: usize, k: i32, row: i32, col: i32): usize {
  return a + ((<usize>row * <usize>k + <usize>col) << 3);
}

/** The Jacobi rotation in the (p, q) plane that zeroes m[p][q], applied to m and Q (../eigen.ts rotate). */
function jacobiRotate(m: usize, v: usize, k: i32, p: i32, q: i32, apq: f64): void {
  const theta = (load<f64>(cell(m, k, q, q)) - load<f64>(cell(m, k, p, p))) / (2 * apq);
  const t = (theta >= 0 ? 1.0 : -1.0) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
  const c = 1 / Math.sqrt(t * t + 1);
  const s = t * c;
  for (let r = 0; r < k; r++) {
    if (r == p || r == q) continue;
    const arp = load<f64>(cell(m, k, r, p));
    const arq = load<f64>(cell(m, k, r, q));
    const np = c * arp - s * arq;
    const nq = s * arp + c * arq;
    store<f64>(cell(m, k, r, p), np);
    store<f64>(cell(m, k, p, r), np);
    store<f64>(cell(m, k, r, q), nq);
    store<f64>(cell(m, k, q, r), nq);
  }
  store<f64>(cell(m, k, p, p), load<f64>(cell(m, k, p, p)) - t * apq);
  store<f64>(cell(m, k, q, q), load<f64>(cell(m, k, q, q)) + t * apq);
  store<f64>(cell(m, k, p, q), 0);
  store<f64>(cell(m, k, q, p), 0);
  for (let r = 0; r < k; r++) {
    const vrp = load<f64>(cell(v, k, r, p));
    const vrq = load<f64>(cell(v, k, r, q));
    store<f64>(cell(v, k, r, p), c * vrp - s * vrq);
    store<f64>(cell(v, k, r, q), s * vrp + c * vrq);
  }
}
