import { performance } from 'node:perf_hooks';

/** Milliseconds of each call of fn over the inputs, after `warmup` untimed calls (the JIT settles first). */
export function latenciesMs<T>(inputs: readonly T[], fn: (input: T) => unknown, warmup = 50): Float64Array {
  for (let n = 0; n < Math.min(warmup, inputs.length); n++) fn(inputs[n]);
  const out = new Float64Array(inputs.length);
  for (let n = 0; n < inputs.length; n++) {
    const start = performance.now();
    fn(inputs[n]);
    out[n] = performance.now() - start;
  }
  return out;
}

/** Nearest-rank percentile (p in 0…100) of the values. */
export function percentile(values: Float64Array, p: number): number {
  if (values.length === 0) throw new Error('percentile of no values');
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Runs fn `runs` times; returns each run's seconds and the last result. */
export async function timeRuns<T>(runs: number, fn: () => T | Promise<T>): Promise<{ seconds: number[]; result: T }> {
  const seconds: number[] = [];
  let result!: T;
  for (let n = 0; n < runs; n++) {
    const start = performance.now();
    result = await fn();
    seconds.push((performance.now() - start) / 1000);
  }
  return { seconds, result };
}

export const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1];
