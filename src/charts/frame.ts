/**
 * What every chart shares: the <svg> shell (role="img", named by its <title> and described by its <desc> through
 * aria-labelledby and aria-describedby: the text alternative), a fixed-width viewBox that CSS scales to the
 * column, and axes.
 * Structural colours come from classes styled in app.css; data colours are attributes. Every text is escaped.
 */
import { escapeXml, num, safeId } from '../svg/escape.js';
import type { Scale } from './scale.js';

/**
 * 360 units wide at 13 units a letter: on a phone (about 310 px of column) text is drawn at 11 px, in a desktop's
 * half-width column (about 420 px) at 15 px.
 */
export const CHART_WIDTH = 360;
export const FONT_SIZE = 13;
/** Average width of a character at FONT_SIZE, for laying out labels (SVG cannot measure text on the server). */
export const CHAR_WIDTH = 7.8;

export interface ChartText {
  /** Unique in the page: the prefix of the ids of <title> and <desc>. */
  readonly id: string;
  readonly title: string;
  /** The text alternative: what the chart shows, in a sentence or two. */
  readonly description: string;
}

/** The plot area inside the chart, in viewBox units. */
export interface Plot {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

export function svgChart(text: ChartText, height: number, body: readonly string[]): string {
  const id = safeId(text.id);
  return [
    `<svg class="chart" viewBox="0 0 ${CHART_WIDTH} ${num(height)}" width="${CHART_WIDTH}" height="${num(height)}" role="img"`,
    ` aria-labelledby="${id}-title" aria-describedby="${id}-desc" font-size="${FONT_SIZE}" xmlns="http://www.w3.org/2000/svg">`,
    `<title id="${id}-title">${escapeXml(text.title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(text.description)}</desc>`,
    ...body,
    '</svg>',
  ].join('');
}

/** Estimated width of a label in viewBox units. */
export function textWidth(label: string, fontSize = FONT_SIZE): number {
  return label.length * CHAR_WIDTH * (fontSize / FONT_SIZE);
}

/** Cuts a label to `maxWidth` with "…". */
export function clip(label: string, maxWidth: number): string {
  const max = Math.max(2, Math.floor(maxWidth / CHAR_WIDTH));
  return label.length <= max ? label : `${label.slice(0, max - 1)}…`;
}

export function text(x: number, y: number, content: string, attributes = ''): string {
  return `<text x="${num(x)}" y="${num(y)}"${attributes ? ` ${attributes}` : ''}>${escapeXml(content)}</text>`;
}

/** Horizontal grid lines with their labels on the left, and the axis label written upwards. */
export function yAxis(plot: Plot, ticks: readonly number[], scale: Scale, format: (v: number) => string, label: string): string[] {
  const out = ticks.map((tick) => {
    const y = scale(tick);
    return `<line class="chart-grid" x1="${num(plot.left)}" x2="${num(plot.right)}" y1="${num(y)}" y2="${num(y)}"/>` +
      text(plot.left - 6, y + 4, format(tick), 'class="chart-tick" text-anchor="end"');
  });
  const middle = (plot.top + plot.bottom) / 2;
  out.push(text(0, 0, label, `class="chart-label" text-anchor="middle" transform="translate(13 ${num(middle)}) rotate(-90)"`));
  return out;
}

/** The axis line at the bottom, numeric ticks under it, and the axis label centred below. */
export function xAxis(plot: Plot, ticks: readonly number[], scale: Scale, format: (v: number) => string, label: string): string[] {
  const out = [`<line class="chart-axis" x1="${num(plot.left)}" x2="${num(plot.right)}" y1="${num(plot.bottom)}" y2="${num(plot.bottom)}"/>`];
  for (const tick of ticks) {
    const x = scale(tick);
    out.push(`<line class="chart-axis" x1="${num(x)}" x2="${num(x)}" y1="${num(plot.bottom)}" y2="${num(plot.bottom + 4)}"/>`);
    out.push(text(x, plot.bottom + 17, format(tick), 'class="chart-tick" text-anchor="middle"'));
  }
  out.push(axisLabelBelow(plot, label));
  return out;
}

export function axisLabelBelow(plot: Plot, label: string): string {
  return text((plot.left + plot.right) / 2, plot.bottom + 36, label, 'class="chart-label" text-anchor="middle"');
}

/** Room for the y tick labels: the widest one, plus the rotated axis label. */
export function leftMargin(tickLabels: readonly string[]): number {
  return 30 + Math.max(0, ...tickLabels.map((l) => textWidth(l)));
}
