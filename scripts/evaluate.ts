import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { detectDatasetFormat, loadDataset } from '../src/catalog/dataset.js';
import { defaultMovielensDir, repoRoot } from '../src/paths.js';
import { EVALUATE_USAGE, parseEvaluateArgs, type EvaluateCommand } from './cli/evaluate-options.js';
import { formatReportTable } from '../src/recommend/evaluation/report-table.js';
import { runEvaluation } from '../src/recommend/evaluation/runner.js';
import { evaluateEngines, evaluateRunFolder } from './evaluate-runs.js';

/** npm run evaluate -- [--data DIR] [--protocol A|B|both] ...: protocols A and B, one table, one JSON file. */
async function main(): Promise<void> {
  let command: EvaluateCommand | 'help';
  try {
    command = parseEvaluateArgs(process.argv.slice(2), process.env, repoRoot, defaultMovielensDir);
    if (command !== 'help') detectDatasetFormat(command.data); // a folder without MovieLens files is a bad --data
  } catch (error) {
    process.stderr.write(`evaluate: ${(error as Error).message} (usage: npm run evaluate -- --help)\n`);
    process.exit(2);
  }
  if (command === 'help') {
    process.stdout.write(`${EVALUATE_USAGE}\n`);
    return;
  }

  const started = performance.now();
  const { ratings } = await loadDataset(command.data);
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  log(`${command.data}: ${ratings.byUser.rows} users, ${ratings.byItem.rows} movies, ${ratings.byUser.indptr[ratings.byUser.rows]} ratings`);
  if (command.engines !== undefined) return evaluateEngines(command, ratings, log);
  if (command.scoreRun !== undefined) return evaluateRunFolder(command, ratings);
  const report = await runEvaluation(ratings, command, log);
  const seconds = (performance.now() - started) / 1000;

  process.stdout.write(`${formatReportTable(report)}\n`);
  mkdirSync(dirname(command.out), { recursive: true });
  writeFileSync(command.out, `${JSON.stringify({ dataset: command.data, seconds, ...report }, null, 2)}\n`);
  process.stdout.write(`wrote ${command.out} (${seconds.toFixed(1)} s)\n`);
}

main().catch((error: unknown) => {
  // Data errors name their file and line already: one line, no stack trace.
  process.stderr.write(`evaluate: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
