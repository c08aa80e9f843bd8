/** The training loss of the model in service, per ALS iteration, as a chart. */
import { formatCount } from '../charts/format.js';
import { lineChart } from '../charts/line-chart.js';
import { niceStep } from '../charts/scale.js';
import type { LossPoint } from './model-report.js';

export function lossChart(points: readonly LossPoint[], engine: string): string | null {
  if (points.length === 0) return null;
  const first = points[0];
  const last = points[points.length - 1];
  const description =
    points.length === 1
      ? `The ${engine} engine reported only the final loss: ${formatLoss(last.loss)} after iteration ${last.iteration}.`
      : `The loss falls from ${formatLoss(first.loss)} after iteration ${first.iteration} to ${formatLoss(last.loss)} after iteration ${last.iteration}.`;
  const lo = first.iteration;
  const hi = last.iteration;
  const step = hi > lo ? Math.max(1, niceStep(hi - lo, 6)) : 1;
  const xTicks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi; t += step) xTicks.push(t);
  if (xTicks.length === 0 || hi === lo) xTicks.splice(0, xTicks.length, lo - 1, lo, lo + 1);
  return lineChart({
    id: 'chart-loss',
    title: 'Training loss per iteration',
    description,
    series: [{ name: 'Loss', colour: '#1a5fd0', points: points.map((p) => ({ x: p.iteration, y: p.loss })) }],
    xTicks,
    formatX: (v) => String(v),
    xLabel: 'Iteration',
    yLabel: 'Loss',
    legend: false,
  });
}

export function formatLoss(loss: number): string {
  return Math.abs(loss) >= 1000 ? formatCount(loss) : loss.toPrecision(4);
}
