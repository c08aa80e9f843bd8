import type { EvaluationReport, ModelRow } from './runner.js';

/** Column headings of the metrics, in the order the table shows them. */
const METRIC_LABELS: ReadonlyArray<readonly [string, string]> = [
  ['precisionAt10', 'P@10'],
  ['recallAt20', 'R@20'],
  ['ndcgAt10', 'NDCG@10'],
  ['coverageAt10', 'Cov@10'],
  ['recallAt12', 'R@12'],
  ['ndcgAt12', 'NDCG@12'],
  ['coverageAt12', 'Cov@12'],
];

/** One plain-text table: a row per protocol and model, a column per metric ("-" where a protocol lacks it), train time last. */
export function formatReportTable(report: EvaluationReport): string {
  return formatModelRows(report.protocols.flatMap((p) => p.rows));
}

/** The same table for any rows (the engine comparison prints one too). */
export function formatModelRows(rows: readonly ModelRow[]): string {
  const used = METRIC_LABELS.filter(([key]) => rows.some((row) => key in row.metrics));
  const header = ['protocol', 'model', 'users', ...used.map(([, label]) => label), 'train s'];
  const body = rows.map((row) => [
    row.protocol,
    row.model,
    String(row.users),
    ...used.map(([key]) => (key in row.metrics ? row.metrics[key].toFixed(4) : '-')),
    row.trainSeconds.toFixed(2),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((cells) => cells[c].length)));
  const line = (cells: string[]): string =>
    cells.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
