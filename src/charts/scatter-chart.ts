/** Points on two numeric axes, x optionally logarithmic (numbers of ratings span several powers of ten). */
import { escapeXml, num } from '../svg/escape.js';
import { BAR_COLOUR } from './bar-chart.js';
import { formatTick } from './format.js';
import { CHART_WIDTH, leftMargin, svgChart, xAxis, yAxis, type ChartText, type Plot } from './frame.js';
import { linearScale, logScale, logTicks, niceTicks } from './scale.js';

export interface ScatterPoint {
  readonly x: number;
  readonly y: number;
}

export interface ScatterChartOptions extends ChartText {
  readonly points: readonly ScatterPoint[];
  readonly xLabel: string;
  readonly yLabel: string;
  readonly logX?: boolean;
  /** Default: round ticks over the data. */
  readonly yDomain?: readonly [number, number];
  readonly colour?: string;
}

export function scatterChart(options: ScatterChartOptions): string {
  const { points } = options;
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const yTicks = options.yDomain ? niceTicks(options.yDomain[0], options.yDomain[1], 5) : niceTicks(Math.min(...ys), Math.max(...ys), 5);
  const xTicks = options.logX ? logTicks(Math.max(1, Math.min(...xs)), Math.max(...xs)) : niceTicks(Math.min(...xs), Math.max(...xs), 5);
  const plot: Plot = { left: leftMargin(yTicks.ticks.map(formatTick)), top: 10, right: CHART_WIDTH - 20, bottom: 220 };
  const x = (options.logX ? logScale : linearScale)([xTicks.min, xTicks.max], [plot.left, plot.right]);
  const y = linearScale([yTicks.min, yTicks.max], [plot.bottom, plot.top]);

  const body = [...yAxis(plot, yTicks.ticks, y, formatTick, options.yLabel), ...xAxis(plot, xTicks.ticks, x, formatTick, options.xLabel)];
  const colour = escapeXml(options.colour ?? BAR_COLOUR);
  body.push(`<g fill="${colour}" fill-opacity="0.4">`);
  for (const p of points) body.push(`<circle cx="${num(x(p.x))}" cy="${num(y(p.y))}" r="2.2"/>`);
  body.push('</g>');
  return svgChart(options, plot.bottom + 44, body);
}
