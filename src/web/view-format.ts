/** Small formatting helpers the pages pass to their views (numbers, times, durations), English as the rest. */
import { formatCount, formatFixed } from '../charts/format.js';

/** 1700000000000 → "2023-11-14 22:13 UTC". */
export function formatTime(ms: number | string | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return String(ms);
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** 4_210 → "4 s", 184_000 → "3 min 4 s", 7_500_000 → "2 h 5 min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

export const viewFormat = { count: formatCount, fixed: formatFixed, time: formatTime, duration: formatDuration };
