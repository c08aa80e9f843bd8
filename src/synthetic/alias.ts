/** Vose's alias table: draws index i with probability weights[i] / sum in O(1). */
export interface AliasTable {
  readonly size: number;
  /** Chance of keeping the drawn slot rather than taking its alias. */
  readonly keep: Float64Array;
  readonly alias: Int32Array;
}

export function createAliasTable(weights: ArrayLike<number>): AliasTable {
  const n = weights.length;
  if (n === 0) throw new Error('alias table: no weights');
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i];
    if (!(w >= 0) || !Number.isFinite(w)) throw new Error(`alias table: weight ${i} is ${w}, expected a finite number ≥ 0`);
    total += w;
  }
  if (total <= 0) throw new Error('alias table: all weights are zero');
  const keep = new Float64Array(n);
  const alias = new Int32Array(n);
  const scaled = new Float64Array(n);
  const small = new Int32Array(n);
  const large = new Int32Array(n);
  let smallCount = 0;
  let largeCount = 0;
  for (let i = 0; i < n; i++) {
    scaled[i] = (weights[i] * n) / total;
    if (scaled[i] < 1) small[smallCount++] = i;
    else large[largeCount++] = i;
  }
  while (smallCount > 0 && largeCount > 0) {
    const s = small[--smallCount];
    const l = large[largeCount - 1];
    keep[s] = scaled[s];
    alias[s] = l;
    scaled[l] = scaled[l] + scaled[s] - 1;
    if (scaled[l] < 1) {
      largeCount--;
      small[smallCount++] = l;
    }
  }
  // Leftovers are 1 up to rounding error: they always keep their own slot.
  while (largeCount > 0) {
    const l = large[--largeCount];
    keep[l] = 1;
    alias[l] = l;
  }
  while (smallCount > 0) {
    const s = small[--smallCount];
    keep[s] = 1;
    alias[s] = s;
  }
  return { size: n, keep, alias };
}

/** One draw from the table given a uniform u in [0, 1): its integer part picks the slot, the rest decides keep or alias. */
export function sampleAlias(table: AliasTable, u: number): number {
  const x = u * table.size;
  const slot = Math.floor(x);
  return x - slot < table.keep[slot] ? slot : table.alias[slot];
}
