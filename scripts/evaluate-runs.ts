/** The run-folder side of `npm run evaluate`: --engines (train each engine on protocol A's split and score it) and --score-run. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { RatingsMatrix } from '../src/catalog/types.js';
import { loadConfig } from '../src/config.js';
import { repoRoot } from '../src/paths.js';
import { prepareKnownUserSplit, scoreEngine, scoreRunFolder, type EngineScore } from '../src/pipeline/engine-evaluation.js';
import { createLocalEngine } from '../src/pipeline/engines/create-local-engine.js';
import { PICK_RATING, RUN_TOP_N, type RunParams } from '../src/pipeline/run-params.js';
import { resolveAlsOptions } from '../src/recommend/als/index.js';
import type { EvaluateCommand } from './cli/evaluate-options.js';
import { formatModelRows } from '../src/recommend/evaluation/report-table.js';
import type { KnownUserMetrics } from '../src/recommend/evaluation/protocols.js';
import { defaultKnownUserSplit, splitKnownUsers } from '../src/recommend/evaluation/splits.js';

/** Parity means Recall@20 within this share of each other. */
const PARITY = 0.1;

export async function evaluateEngines(command: EvaluateCommand, ratings: RatingsMatrix, log: (line: string) => void): Promise<void> {
  const engines = command.engines ?? [];
  const config = loadConfig({ ...process.env, RUN_TIMEOUT_SECONDS: '7200' });
  const als = resolveAlsOptions(command.als);
  const { rank, iterations, regularization, alpha, ratingThreshold, scaleRegularization, seed } = als;
  const params: Omit<RunParams, 'ratingsPath'> = { rank, iterations, regularization, alpha, ratingThreshold, scaleRegularization, seed, topN: RUN_TOP_N, candidates: RUN_TOP_N, pickRating: PICK_RATING };
  const dir = resolve(repoRoot, 'artifacts', 'evaluation-runs', `${basename(command.data)}-seed${command.seed}`);
  const prepared = await prepareKnownUserSplit(ratings, command.seed, dir);
  log(`protocol A split written to ${prepared.ratingsPath}`);

  const scores: EngineScore[] = [];
  for (const name of engines) {
    log(`${name}: training rank ${rank} × ${iterations} in ${dir}/run-${name} …`);
    const engine = createLocalEngine({ ...config, ENGINE: name });
    try {
      const score = await scoreEngine(engine, prepared, params, dir);
      log(`${name}: ${score.wallSeconds.toFixed(1)} s, R@20 ${score.metrics.recallAt20.toFixed(4)}`);
      scores.push(score);
    } finally {
      await engine.close?.();
    }
  }

  process.stdout.write(`${table(scores.map((s) => ({ name: s.engine, metrics: s.metrics, seconds: s.wallSeconds })))}\n`);
  const parity = parityOf(scores);
  if (parity) process.stdout.write(`${parity.line}\n`);
  write(command.out, { dataset: command.data, protocol: 'A', split: defaultKnownUserSplit, seed: command.seed, params, engines: scores, parity: parity?.summary ?? null });
}

export async function evaluateRunFolder(command: EvaluateCommand, ratings: RatingsMatrix): Promise<void> {
  const location = command.scoreRun!;
  const split = splitKnownUsers(ratings, { ...defaultKnownUserSplit, seed: command.seed });
  const { model, metrics } = await scoreRunFolder(location, split);
  process.stdout.write(`${table([{ name: model.engine, metrics, seconds: 0 }])}\n`);
  write(command.out, { dataset: command.data, protocol: 'A', seed: command.seed, runFolder: location, engine: model.engine, params: model.params, metrics });
}

function table(rows: { name: string; metrics: KnownUserMetrics; seconds: number }[]): string {
  return formatModelRows(rows.map(({ name, metrics: { users, ...metrics }, seconds }) => ({ protocol: 'A', model: name, users, metrics, trainSeconds: seconds })))
    .replace('train s', 'wall s');
}

function parityOf(scores: readonly EngineScore[]): { line: string; summary: object } | null {
  if (scores.length < 2) return null;
  const [a, b] = scores;
  const ra = a.metrics.recallAt20;
  const rb = b.metrics.recallAt20;
  const difference = Math.abs(ra - rb) / Math.max(ra, rb);
  const within = difference <= PARITY;
  return {
    line: `Recall@20 ${b.engine} ${rb.toFixed(4)} vs ${a.engine} ${ra.toFixed(4)}: ${(difference * 100).toFixed(1)}% apart, ${within ? 'within' : 'NOT within'} ${PARITY * 100}%`,
    summary: { metric: 'recallAt20', [a.engine]: ra, [b.engine]: rb, relativeDifference: difference, within },
  };
}

function write(path: string, report: object): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`wrote ${path}\n`);
}
