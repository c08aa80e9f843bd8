import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { detectDatasetFormat, loadDataset } from '../src/catalog/dataset.js';
import { defaultMovielensDir, repoRoot } from '../src/paths.js';
import { EVALUATE_USAGE, parseEvaluateArgs, type EvaluateCommand } from './cli/evaluate-options.js';
import { formatReportTable } from '../src/recommend/evaluation/report-table.js';
import { RERANK_GRIDS, searchRerank, type RerankGrid } from '../src/recommend/evaluation/rerank-search.js';
import { DEFAULT_FOLDS, runEvaluation } from '../src/recommend/evaluation/runner.js';
import { resolveAlsOptions } from '../src/recommend/als/index.js';
import { itemGenresOf } from '../src/recommend/rerank/item-facts.js';
import { evaluateEngines, evaluateRunFolder } from './evaluate-runs.js';

/**
 * npm run evaluate -- [--data DIR] [--protocol A|B|both] ...: protocols A and B, one table, one JSON file.
 * RERANK_SEARCH=<folds> instead searches the re-ranker's grids on the validation users of that many folds and writes
 * rerank-search-<seed>.json next to the evaluation's output; RERANK_GRIDS=1,3 searches those grids only.
 */
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
  const { ratings, movies } = await loadDataset(command.data);
  const genresById = new Map(movies.map((m) => [m.id, m.genres]));
  const itemGenres = itemGenresOf(ratings.itemIds, (id) => genresById.get(id));
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  log(`${command.data}: ${ratings.byUser.rows} users, ${ratings.byItem.rows} movies, ${ratings.byUser.indptr[ratings.byUser.rows]} ratings`);
  if (command.engines !== undefined) return evaluateEngines(command, ratings, log);
  if (command.scoreRun !== undefined) return evaluateRunFolder(command, ratings);
  const searchFolds = process.env.RERANK_SEARCH;
  if (searchFolds !== undefined) {
    const folds = command.folds ?? DEFAULT_FOLDS;
    const grids = rerankGridsOf(process.env.RERANK_GRIDS);
    const search = await searchRerank(ratings, resolveAlsOptions(command.als), itemGenres, command.seed, folds, Number(searchFolds), log, grids);
    const out = join(dirname(command.out), `rerank-search-${command.seed}.json`);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify({ kind: 'rerank-search', dataset: command.data, ...search }, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify({ plain: search.plain, chosen: search.chosen }, null, 2)}\nwrote ${out}\n`);
    return;
  }
  const report = await runEvaluation(ratings, { ...command, itemGenres }, log);
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

/** RERANK_GRIDS=1,3 searches those of RERANK_GRIDS (1-based) only; all of them when unset. */
function rerankGridsOf(value: string | undefined): readonly RerankGrid[] {
  if (value === undefined || value === '') return RERANK_GRIDS;
  return value.split(',').map((part) => {
    const grid = RERANK_GRIDS[Number(part) - 1];
    if (grid === undefined) throw new Error(`RERANK_GRIDS: ${JSON.stringify(part)} is not a grid number (1–${RERANK_GRIDS.length})`);
    return grid;
  });
}
