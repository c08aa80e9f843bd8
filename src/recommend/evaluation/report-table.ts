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

/** The re-ranking rows' figures (list-tally.ts), at 12 and 48. */
const RERANK_LABELS: ReadonlyArray<readonly [string, string]> = [12, 48].flatMap((k) => [
  [`recallAt${k}`, `R@${k}`],
  [`ndcgAt${k}`, `NDCG@${k}`],
  [`popShareAt${k}`, `Top100@${k}`],
  [`overlapAt${k}`, `Jacc@${k}`],
  [`pickCoverageAt${k}`, `Picks@${k}`],
  [`coverageAt${k}`, `Cov@${k}`],
  [`noveltyAt${k}`, `Nov@${k}`],
  [`diversityAt${k}`, `ILD@${k}`],
  [`calibrationKlAt${k}`, `KL@${k}`],
] as const);

/**
 * Plain-text tables: a row per protocol and model, a column per metric ("-" where a protocol lacks it), train time
 * last; the re-ranking rows (with beyond-accuracy figures) in a second table.
 */
export function formatReportTable(report: EvaluationReport): string {
  const rows = report.protocols.flatMap((p) => p.rows);
  const reranked = rows.filter((row) => 'popShareAt12' in row.metrics);
  const main = formatModelRows(rows.filter((row) => !reranked.includes(row)));
  return reranked.length === 0 ? main : `${main}\n\n${formatModelRows(reranked, RERANK_LABELS)}`;
}

/** The same table for any rows (the engine comparison prints one too). */
export function formatModelRows(rows: readonly ModelRow[], labels: ReadonlyArray<readonly [string, string]> = METRIC_LABELS): string {
  const used = labels.filter(([key]) => rows.some((row) => key in row.metrics));
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
