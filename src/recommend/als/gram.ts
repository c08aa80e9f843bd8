/**
 * out[offset + a·k + b] += Σ f_r[a]·f_r[b] over rows r in [first, last), upper triangle (b ≥ a) only; four rows
 * at a time so each out entry is loaded and stored once per four products.
 */
export function accumulateGram(f: Float32Array, first: number, last: number, k: number, out: Float64Array, offset: number): void {
  let r = first;
  for (; r + 3 < last; r += 4) {
    const b0 = r * k;
    const b1 = b0 + k;
    const b2 = b1 + k;
    const b3 = b2 + k;
    for (let a = 0; a < k; a++) {
      const x0 = f[b0 + a];
      const x1 = f[b1 + a];
      const x2 = f[b2 + a];
      const x3 = f[b3 + a];
      const row = offset + a * k;
      for (let b = a; b < k; b++) out[row + b] += x0 * f[b0 + b] + x1 * f[b1 + b] + (x2 * f[b2 + b] + x3 * f[b3 + b]);
    }
  }
  for (; r < last; r++) {
    const base = r * k;
    for (let a = 0; a < k; a++) {
      const xa = f[base + a];
      const row = offset + a * k;
      for (let b = a; b < k; b++) out[row + b] += xa * f[base + b];
    }
  }
}

/** out = the full symmetric k×k sum of `count` upper-triangle partials (k² apart), added in index order. */
export function sumGramPartials(partials: Float64Array, count: number, k: number, out: Float64Array): void {
  const size = k * k;
  out.fill(0);
  for (let c = 0; c < count; c++) {
    const offset = c * size;
    for (let a = 0; a < k; a++) for (let b = a; b < k; b++) out[a * k + b] += partials[offset + a * k + b];
  }
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) out[a * k + b] = out[b * k + a];
}
