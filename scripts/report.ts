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
import { z } from 'zod';
import { buildReport, type Sourced } from './report/build.js';
import { evaluationFileSchema, tuningFileSchema, type BenchPeersReport } from './report/schemas.js';
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
  /** `parse` gives the report, or null for another kind of file (skipped silently); a malformed one is skipped with a message. */
  const read = <T>(name: string, parse: (value: Record<string, unknown>) => T | null): Sourced<T>[] => {
    try {
      const report = parse(JSON.parse(readFileSync(join(dir, name), 'utf8')) as Record<string, unknown>);
      return report === null ? [] : [{ file: relative(repoRoot, join(dir, name)) || name, report }];
    } catch (error) {
      const why = error instanceof z.ZodError ? z.prettifyError(error).replace(/\s*\n\s*/g, ' ') : (error as Error).message;
      process.stderr.write(`report: ${name} skipped: ${why}\n`);
      return [];
    }
  };
  const benchPeers = files.filter((f) => f.startsWith('bench-peers-')).flatMap((f) => read(f, (v) => (v.kind === 'bench-peers' ? (v as unknown as BenchPeersReport) : null)));
  const tuning = files.filter((f) => f.startsWith('tuning-')).flatMap((f) => read(f, (v) => (v.kind === 'tuning' ? tuningFileSchema.parse(v) : null)));
  // npm run evaluate's protocol reports (the --engines and --score-run files have another shape).
  const evaluations = files.filter((f) => f.startsWith('evaluation-')).flatMap((f) => read(f, (v) => (Array.isArray(v.protocols) ? evaluationFileSchema.parse(v) : null)));
  const html = buildReport({ generatedAt: new Date().toISOString(), stylesheet: readAppStylesheet(), benchPeers, evaluations, tuning });
  mkdirSync(join(out, '..'), { recursive: true });
  writeFileSync(out, html);
  process.stdout.write(`wrote ${out}: ${benchPeers.length} bench-peers run(s), ${tuning.length} tuning run(s), ${evaluations.length} evaluation(s)\n`);
}

main();
