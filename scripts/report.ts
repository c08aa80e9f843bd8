/**
 * npm run report [-- --artifacts DIR] [--out FILE]: the evaluation report, one self-contained HTML file
 * (artifacts/report.html) drawn from the runs' JSON in artifacts/: bench-peers-*.json (scripts/bench-peers),
 * tuning-*.json (npm run tune) and evaluation-*.json (npm run evaluate). With none of them it still writes the page,
 * saying which commands make them.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../src/paths.js';
import type { BenchPeersReport } from './peers/summary.js';
import { buildReport, type EvaluationFile, type Sourced, type TuningFile } from './report/build.js';
import { readAppStylesheet } from './report/stylesheet.js';

function main(): void {
  const { values } = parseArgs({ options: { artifacts: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help) {
    process.stdout.write('usage: npm run report -- [--artifacts DIR] [--out FILE]   (default: artifacts/, artifacts/report.html)\n');
    return;
  }
  const dir = resolve(values.artifacts ?? join(repoRoot, 'artifacts'));
  const out = resolve(values.out ?? join(dir, 'report.html'));
  const files = existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.json')).sort() : [];
  const read = <T>(name: string, ok: (value: Record<string, unknown>) => boolean): Sourced<T>[] => {
    try {
      const value = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Record<string, unknown>;
      return ok(value) ? [{ file: relative(repoRoot, join(dir, name)) || name, report: value as T }] : [];
    } catch (error) {
      process.stderr.write(`report: ${name} skipped: ${(error as Error).message}\n`);
      return [];
    }
  };
  const benchPeers = files.filter((f) => f.startsWith('bench-peers-')).flatMap((f) => read<BenchPeersReport>(f, (v) => v.kind === 'bench-peers'));
  const tuning = files.filter((f) => f.startsWith('tuning-')).flatMap((f) => read<TuningFile>(f, (v) => v.kind === 'tuning'));
  // npm run evaluate's protocol reports (the --engines and --score-run files have another shape).
  const evaluations = files.filter((f) => f.startsWith('evaluation-')).flatMap((f) => read<EvaluationFile>(f, (v) => Array.isArray(v.protocols)));
  const html = buildReport({ generatedAt: new Date().toISOString(), stylesheet: readAppStylesheet(), benchPeers, evaluations, tuning });
  mkdirSync(join(out, '..'), { recursive: true });
  writeFileSync(out, html);
  process.stdout.write(`wrote ${out}: ${benchPeers.length} bench-peers run(s), ${tuning.length} tuning run(s), ${evaluations.length} evaluation(s)\n`);
}

main();
