/**
 * Accuracy against popularity concentration: one point per re-ranking row (method and setting) of an evaluation —
 * the quick 12's rows at 12, the 48's at 48 — so how much accuracy each step of "familiar ↔ discover" costs is visible.
 */
import { scatterChart } from '../../src/charts/scatter-chart.js';

interface MetricRow {
  readonly model: string;
  /** null: a metric that was NaN when written. */
  readonly metrics: Readonly<Record<string, number | null>>;
}

export interface AccuracyPopularityChart {
  readonly svg: string;
  readonly head: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** The chart of one protocol's re-ranking rows (those with a popularity share), or null when it has none. */
export function accuracyPopularityChart(id: string, title: string, description: string, rows: readonly MetricRow[]): AccuracyPopularityChart | null {
  const points = rows.flatMap((row) => {
    const k = row.model.includes('quick-') ? 12 : 48;
    const x = row.metrics[`popShareAt${k}`];
    const y = row.metrics[`recallAt${k}`];
    return typeof x !== 'number' || typeof y !== 'number' ? [] : [{ model: row.model, k, x, y }];
  });
  if (points.length === 0) return null;
  return {
    svg: scatterChart({ id, title, description, points, xLabel: 'share among the 100 most-rated', yLabel: 'Recall@k', yDomain: [0, Math.max(...points.map((p) => p.y))] }),
    head: ['model and setting', 'k', 'share among the 100 most-rated', 'Recall@k'],
    rows: points.map((p) => [p.model, String(p.k), p.x.toFixed(3), p.y.toFixed(4)]),
  };
}
