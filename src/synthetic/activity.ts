import type { Random } from '../recommend/random.js';

/** Spread of log-activity; 1.4 gives ml-latest-small's median ≈ 70 and mean ≈ 165 ratings per user. */
const ACTIVITY_SIGMA = 1.4;

/**
 * Ratings per user: heavy-tailed (log-normal above the minimum), each in [minimum, cap],
 * summing to exactly `total`. Largest-remainder rounding after capping (water-filling) keeps the sum exact.
 */
export function userActivity(users: number, total: number, minimum: number, cap: number, rng: Random): Int32Array {
  if (users * minimum > total) throw new Error(`${users} users × ${minimum} ratings minimum needs ≥ ${users * minimum} ratings, got ${total}`);
  if (users * cap < total) throw new Error(`${total} ratings don't fit in ${users} users × ${cap} ratings at most`);
  const weights = new Float64Array(users);
  for (let u = 0; u < users; u++) weights[u] = Math.exp(ACTIVITY_SIGMA * rng.normal());
  const extraCap = cap - minimum;
  const share = new Float64Array(users);
  const capped = new Uint8Array(users);
  let remaining = total - users * minimum;
  for (let changed = true; changed; ) {
    changed = false;
    let weightSum = 0;
    for (let u = 0; u < users; u++) if (!capped[u]) weightSum += weights[u];
    for (let u = 0; u < users; u++) {
      if (capped[u]) continue;
      share[u] = (remaining * weights[u]) / weightSum;
      if (share[u] >= extraCap) {
        capped[u] = 1;
        share[u] = extraCap;
        remaining -= extraCap;
        changed = true;
      }
    }
  }
  const counts = new Int32Array(users);
  let assigned = 0;
  for (let u = 0; u < users; u++) {
    counts[u] = minimum + Math.floor(share[u]);
    assigned += counts[u];
  }
  const byRemainder = Int32Array.from({ length: users }, (_, u) => u).sort(
    (a, b) => share[b] - Math.floor(share[b]) - (share[a] - Math.floor(share[a])) || a - b,
  );
  for (let n = 0; assigned < total; n = (n + 1) % users) {
    const u = byRemainder[n];
    if (counts[u] < cap) {
      counts[u]++;
      assigned++;
    }
  }
  return counts;
}
