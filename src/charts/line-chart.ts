/**
 * Lines over a numeric x axis, one per series, each point marked (so a one-point series still shows), a gap where
 * a point is missing (y null). Series differ by colour and by dash pattern, named in a legend under the chart.
 */
import { escapeXml, num } from '../svg/escape.js';
import { formatTick } from './format.js';
import { CHART_WIDTH, leftMargin, svgChart, text, textWidth, xAxis, yAxis, type ChartText, type Plot } from './frame.js';
import { linearScale, niceTicks } from './scale.js';

export interface LinePoint {
  readonly x: number;
  /** null: no value here (the line breaks). */
  readonly y: number | null;
}

export interface LineSeries {
  readonly name: string;
  readonly colour: string;
  readonly points: readonly LinePoint[];
}

export interface LineChartOptions extends ChartText {
  readonly series: readonly LineSeries[];
  readonly xLabel: string;
  readonly yLabel: string;
  /** Default: round ticks over the data. */
  readonly xTicks?: readonly number[];
  /** Default: round ticks over the data (given ticks suit a log scale drawn as log10 values, say). */
  readonly yTicks?: readonly number[];
  readonly formatX?: (value: number) => string;
  readonly formatY?: (value: number) => string;
  /** Hide the legend (one series named by the title). */
  readonly legend?: boolean;
}

const DASHES = ['', '7 4', '2 3', '10 3 2 3', '4 4', '1 5'];
const LEGEND_ROW = 20;
const LEGEND_SWATCH = 26;

export function lineChart(options: LineChartOptions): string {
  const { series } = options;
  const formatX = options.formatX ?? formatTick;
  const formatY = options.formatY ?? formatTick;
  const values = series.flatMap((s) => s.points.filter((p) => p.y !== null));
  const xs = values.map((p) => p.x);
  const ys = values.map((p) => p.y as number);
  const yTicks = options.yTicks
    ? { ticks: [...options.yTicks], min: Math.min(...options.yTicks, ...ys), max: Math.max(...options.yTicks, ...ys) }
    : niceTicks(Math.min(...ys), Math.max(...ys), 5);
  // Given ticks may be a subset (every other decade): the axis still spans all the data.
  const xTicks = options.xTicks
    ? { ticks: [...options.xTicks], min: Math.min(...options.xTicks, ...xs), max: Math.max(...options.xTicks, ...xs) }
    : niceTicks(Math.min(...xs), Math.max(...xs), 5);

  const legendRows = options.legend === false ? [] : legendLayout(series.map((s) => s.name));
  const plot: Plot = { left: leftMargin(yTicks.ticks.map(formatY)), top: 10, right: CHART_WIDTH - 20, bottom: 200 };
  const x = linearScale([xTicks.min, xTicks.max], [plot.left, plot.right]);
  const y = linearScale([yTicks.min, yTicks.max], [plot.bottom, plot.top]);

  const body = [...yAxis(plot, yTicks.ticks, y, formatY, options.yLabel), ...xAxis(plot, xTicks.ticks, x, formatX, options.xLabel)];
  series.forEach((s, i) => {
    const colour = escapeXml(s.colour);
    const dash = DASHES[i % DASHES.length];
    let path = '';
    let pen = false;
    for (const p of s.points) {
      if (p.y === null) {
        pen = false;
        continue;
      }
      path += `${pen ? 'L' : 'M'}${num(x(p.x))} ${num(y(p.y))}`;
      pen = true;
    }
    if (path) body.push(`<path d="${path}" fill="none" stroke="${colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
    for (const p of s.points) {
      if (p.y !== null) body.push(`<circle cx="${num(x(p.x))}" cy="${num(y(p.y))}" r="2.6" fill="${colour}"/>`);
    }
  });

  const legendTop = plot.bottom + 54;
  legendRows.forEach((row, r) => {
    for (const { index, x: left } of row) {
      const s = series[index];
      const cy = legendTop + r * LEGEND_ROW;
      const dash = DASHES[index % DASHES.length];
      body.push(
        `<line x1="${num(left)}" x2="${num(left + LEGEND_SWATCH - 6)}" y1="${num(cy - 4)}" y2="${num(cy - 4)}" stroke="${escapeXml(s.colour)}" stroke-width="2.5"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`,
      );
      body.push(text(left + LEGEND_SWATCH, cy, s.name, 'class="chart-text"'));
    }
  });
  const height = legendRows.length > 0 ? legendTop + (legendRows.length - 1) * LEGEND_ROW + 10 : plot.bottom + 44;
  return svgChart(options, height, body);
}

/** Legend entries flowed into rows that fit the chart's width. */
function legendLayout(names: readonly string[]): { index: number; x: number }[][] {
  const rows: { index: number; x: number }[][] = [];
  let row: { index: number; x: number }[] = [];
  let at = 12;
  names.forEach((name, index) => {
    const width = LEGEND_SWATCH + textWidth(name) + 16;
    if (row.length > 0 && at + width > CHART_WIDTH - 8) {
      rows.push(row);
      row = [];
      at = 12;
    }
    row.push({ index, x: at });
    at += width;
  });
  if (row.length > 0) rows.push(row);
  return rows;
}
