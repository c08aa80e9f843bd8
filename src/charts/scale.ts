/** Scales and tick values for the charts: linear and base-10 logarithmic, with "nice" round ticks. */

export type Scale = (value: number) => number;

/** Maps [d0, d1] onto [r0, r1] linearly; a zero-width domain maps to the middle of the range. */
export function linearScale([d0, d1]: readonly [number, number], [r0, r1]: readonly [number, number]): Scale {
  if (d1 === d0) return () => (r0 + r1) / 2;
  const k = (r1 - r0) / (d1 - d0);
  return (value) => r0 + (value - d0) * k;
}

/** Maps [d0, d1] (both > 0) onto [r0, r1] by log10. */
export function logScale([d0, d1]: readonly [number, number], range: readonly [number, number]): Scale {
  const linear = linearScale([Math.log10(d0), Math.log10(d1)], range);
  return (value) => linear(Math.log10(Math.max(value, d0)));
}

/** A round step (1, 2 or 5 × 10ⁿ) that cuts `span` into about `count` pieces. */
export function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const error = raw / power;
  const factor = error >= 7.07 ? 10 : error >= 3.16 ? 5 : error >= 1.41 ? 2 : 1;
  return factor * power;
}

/** Round ticks covering [min, max] (widened to the nearest ticks): about `count` of them. */
export function niceTicks(min: number, max: number, count = 5): { ticks: number[]; min: number; max: number } {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { ticks: [0, 1], min: 0, max: 1 };
  if (max <= min) {
    // One value: put it in the middle of a small range around it.
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    [min, max] = [min - pad, min + pad];
  }
  const step = niceStep(max - min, count);
  const lo = Math.floor(min / step + 1e-9) * step;
  const hi = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let i = 0, v = lo; v <= hi + step / 2; v = lo + ++i * step) ticks.push(Number(v.toPrecision(12)));
  return { ticks, min: lo, max: hi };
}

/** Powers of ten covering [min, max] (min > 0). */
export function logTicks(min: number, max: number): { ticks: number[]; min: number; max: number } {
  const lo = Math.floor(Math.log10(Math.max(min, 1e-12)));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(max, min))));
  const ticks: number[] = [];
  for (let p = lo; p <= hi; p++) ticks.push(10 ** p);
  return { ticks, min: 10 ** lo, max: 10 ** hi };
}
