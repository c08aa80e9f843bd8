/**
 * Horizontal bars, one per row, longest value scale from 0: labels on the left (short ones, e.g. genres) or above
 * each bar (long ones, e.g. movie titles, so a phone-width chart keeps them readable). The value is written at the
 * end of each bar.
 */
import { escapeXml, num } from '../svg/escape.js';
import { formatCount, formatTick } from './format.js';
import { CHART_WIDTH, clip, svgChart, text, textWidth, xAxis, type ChartText, type Plot } from './frame.js';
import { linearScale, niceTicks } from './scale.js';

export interface Bar {
  readonly label: string;
  readonly value: number;
  /** Default: the accent colour. */
  readonly colour?: string;
}

export interface BarChartOptions extends ChartText {
  readonly bars: readonly Bar[];
  readonly xLabel: string;
  /** 'left' (default) for short labels, 'above' for long ones. */
  readonly labels?: 'left' | 'above';
  readonly formatValue?: (value: number) => string;
}

export const BAR_COLOUR = '#b3261e';
const BAR_HEIGHT = 14;
const MAX_LEFT_LABEL = 130;

export function barChart(options: BarChartOptions): string {
  const { bars, labels = 'left' } = options;
  const formatValue = options.formatValue ?? formatCount;
  const above = labels === 'above';
  const rowHeight = above ? 36 : 22;
  const labelWidth = above ? 0 : Math.min(MAX_LEFT_LABEL, Math.max(0, ...bars.map((b) => textWidth(b.label))) + 8);
  const plot: Plot = { left: 8 + labelWidth, top: 8, right: CHART_WIDTH - 12, bottom: 8 + Math.max(1, bars.length) * rowHeight };
  const { ticks, max } = niceTicks(0, Math.max(0, ...bars.map((b) => b.value)), 4);
  const x = linearScale([0, max], [plot.left, plot.right]);

  const body: string[] = [];
  for (const tick of ticks) {
    body.push(`<line class="chart-grid" x1="${num(x(tick))}" x2="${num(x(tick))}" y1="${plot.top}" y2="${num(plot.bottom)}"/>`);
  }
  bars.forEach((bar, i) => {
    const rowTop = plot.top + i * rowHeight;
    const barTop = above ? rowTop + 17 : rowTop + (rowHeight - BAR_HEIGHT) / 2;
    const width = Math.max(1, x(bar.value) - plot.left);
    if (above) body.push(text(plot.left, rowTop + 13, clip(bar.label, plot.right - plot.left), 'class="chart-text"'));
    else body.push(text(plot.left - 8, barTop + 11, clip(bar.label, labelWidth - 8), 'class="chart-text" text-anchor="end"'));
    body.push(`<rect x="${num(plot.left)}" y="${num(barTop)}" width="${num(width)}" height="${BAR_HEIGHT}" fill="${escapeXml(bar.colour ?? BAR_COLOUR)}"/>`);
    const value = formatValue(bar.value);
    // Values are bold: a little wider than the estimate for plain text.
    const inside = textWidth(value) * 1.15 + 12 < width;
    body.push(
      inside
        ? text(plot.left + width - 5, barTop + 11, value, 'class="chart-value-inside" text-anchor="end"')
        : text(plot.left + width + 5, barTop + 11, value, 'class="chart-value"'),
    );
  });
  body.push(...xAxis(plot, ticks, x, formatTick, options.xLabel));
  return svgChart(options, plot.bottom + 44, body);
}
