/**
 * The latest `npm run evaluate` report for the dataset the app serves, if one was written on this machine:
 * artifacts/evaluation-<dataset folder>.json (the evaluate command's default --out). Read when asked and kept
 * until the file changes; never an error for the page: missing or unreadable are states it explains.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { evaluationTablesSchema } from './evaluation-file.js';

export interface EvaluationTable {
  readonly protocol: string;
  readonly description: string;
  readonly evaluatedUsers: number | null;
  /** Column headings, e.g. "Recall@20". */
  readonly metrics: readonly string[];
  readonly rows: readonly { readonly model: string; readonly values: readonly (number | null)[] }[];
}

export type EvaluationStatus =
  | { readonly state: 'missing'; readonly file: string }
  | { readonly state: 'unreadable'; readonly file: string; readonly reason: string }
  | { readonly state: 'found'; readonly file: string; readonly writtenAt: number; readonly tables: readonly EvaluationTable[] };

/** Where evaluate writes its report for a dataset folder by default. */
export function evaluationReportFile(artifactsDir: string, movielensDir: string): string {
  return join(artifactsDir, `evaluation-${basename(movielensDir)}.json`);
}

/** A reader for one report file; `shownAs` is how the page names it (e.g. relative to the repository). */
export function evaluationReports(path: string, shownAs = path): () => Promise<EvaluationStatus> {
  let cached: { mtimeMs: number; status: EvaluationStatus } | null = null;
  return async () => {
    let mtimeMs: number;
    try {
      mtimeMs = (await stat(path)).mtimeMs;
    } catch {
      return { state: 'missing', file: shownAs };
    }
    if (cached?.mtimeMs === mtimeMs) return cached.status;
    let status: EvaluationStatus;
    try {
      status = { state: 'found', file: shownAs, writtenAt: Math.round(mtimeMs), tables: parseReport(JSON.parse(await readFile(path, 'utf8'))) };
    } catch (err) {
      status = { state: 'unreadable', file: shownAs, reason: err instanceof Error ? err.message : String(err) };
    }
    cached = { mtimeMs, status };
    return status;
  };
}

/** The protocols of an evaluate report as tables; an error when it does not look like one. */
export function parseReport(report: unknown): EvaluationTable[] {
  if (!Array.isArray((report as { protocols?: unknown } | null)?.protocols)) throw new Error('no "protocols" list: not an evaluate report');
  const parsed = evaluationTablesSchema.safeParse(report);
  if (!parsed.success) throw new Error(`not an evaluate report: ${z.prettifyError(parsed.error).replace(/\s*\n\s*/g, ' ')}`);
  return parsed.data.protocols.map((p, i) => {
    const keys = [...new Set(p.rows.flatMap((r) => Object.keys(r.metrics ?? {})))];
    return {
      protocol: p.protocol ?? String(i + 1),
      description: p.description ?? '',
      evaluatedUsers: p.evaluatedUsers ?? null,
      metrics: keys.map(metricName),
      rows: p.rows.map((r) => ({
        model: r.model ?? '?',
        values: keys.map((k) => {
          const v = r.metrics?.[k];
          return typeof v === 'number' && Number.isFinite(v) ? v : null;
        }),
      })),
    };
  });
}

const METRIC_NAMES: Record<string, string> = { precision: 'Precision', recall: 'Recall', ndcg: 'NDCG', coverage: 'Coverage', users: 'Users' };

/** recallAt20 → "Recall@20". */
export function metricName(key: string): string {
  const match = /^([a-z]+)At(\d+)$/.exec(key);
  const word = match ? match[1] : key;
  const name = METRIC_NAMES[word] ?? word.charAt(0).toUpperCase() + word.slice(1);
  return match ? `${name}@${match[2]}` : name;
}
