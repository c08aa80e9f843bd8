/** Numbers as the charts and the pages show them (English, as the rest of the app). */

const whole = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

/** 26818 → "26,818". */
export function formatCount(value: number): string {
  return whole.format(value);
}

/** For tick labels: 25000000 → "25M", 1500 → "1.5K", 0.25 → "0.25". */
export function formatTick(value: number): string {
  if (Math.abs(value) >= 10_000) return compact.format(value);
  if (Number.isInteger(value)) return whole.format(value);
  return String(Number(value.toPrecision(6)));
}

/** A value with a fixed number of decimals: 3.5012 → "3.50". */
export function formatFixed(value: number, digits = 2): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '–';
}
