/** Vertical bars over named categories (a histogram: the number of ratings of each star value). */
import { escapeXml, num } from '../svg/escape.js';
import { formatTick } from './format.js';
import { axisLabelBelow, CHART_WIDTH, leftMargin, svgChart, text, yAxis, type ChartText, type Plot } from './frame.js';
import { BAR_COLOUR } from './bar-chart.js';
import { linearScale, niceTicks } from './scale.js';

export interface Column {
  readonly label: string;
  readonly value: number;
}

export interface ColumnChartOptions extends ChartText {
  readonly columns: readonly Column[];
  readonly xLabel: string;
  readonly yLabel: string;
  readonly colour?: string;
}

export function columnChart(options: ColumnChartOptions): string {
  const { columns } = options;
  const { ticks, max } = niceTicks(0, Math.max(0, ...columns.map((c) => c.value)), 5);
  const plot: Plot = { left: leftMargin(ticks.map(formatTick)), top: 10, right: CHART_WIDTH - 10, bottom: 210 };
  const y = linearScale([0, max], [plot.bottom, plot.top]);
  const slot = (plot.right - plot.left) / Math.max(1, columns.length);
  const gap = Math.min(8, slot * 0.2);

  const body = yAxis(plot, ticks, y, formatTick, options.yLabel);
  columns.forEach((column, i) => {
    const x = plot.left + i * slot;
    const top = y(column.value);
    body.push(
      `<rect x="${num(x + gap / 2)}" y="${num(top)}" width="${num(slot - gap)}" height="${num(Math.max(0, plot.bottom - top))}" fill="${escapeXml(options.colour ?? BAR_COLOUR)}"/>`,
    );
    body.push(text(x + slot / 2, plot.bottom + 17, column.label, 'class="chart-tick" text-anchor="middle"'));
  });
  body.push(`<line class="chart-axis" x1="${num(plot.left)}" x2="${num(plot.right)}" y1="${plot.bottom}" y2="${plot.bottom}"/>`);
  body.push(axisLabelBelow(plot, options.xLabel));
  return svgChart(options, plot.bottom + 44, body);
}
