import { performance } from 'node:perf_hooks';
import type { RatingsMatrix } from '../../catalog/types.js';
import { resolveAlsOptions, trainAls, type AlsOptions, type AlsResult } from '../als/index.js';
import { fitBaseline } from '../baseline.js';
import { prepareModel } from '../foldin.js';
import { multiplyRows } from '../linalg.js';
import type { ItemFactorModel } from '../model.js';
import { QUICK_METHODS, quickScores, type QuickMethod } from '../quick.js';
import { evaluateKnownUsers, evaluateNewUsers, popularityScores, type KnownUserScorer, type NewUserScorer } from './protocols.js';
import { defaultKnownUserSplit, defaultNewUserSplit, splitKnownUsers, splitNewUsers } from './splits.js';

export type Protocol = 'A' | 'B';

export interface EvaluationOptions {
  readonly protocols: readonly Protocol[];
  /** Seed of the splits (ALS has its own seed in `als`). */
  readonly seed: number;
  readonly als: Partial<AlsOptions>;
  /** λ of the quick 'foldin' and 'blend' methods; the model's own regularization when absent. */
  readonly foldinRegularization?: number;
  /** Fold-in's weight in 'blend' (quick.ts default 0.5 when absent). */
  readonly blendWeight?: number;
  /** Only these quick methods in protocol B (all three when absent). */
  readonly quickMethods?: readonly QuickMethod[];
}

/** One line of the results table. */
export interface ModelRow {
  readonly protocol: Protocol;
  /** 'popularity', 'item-bias', 'als', or 'als-<quick method>'. */
  readonly model: string;
  readonly users: number;
  /** Protocol A: precisionAt10, recallAt20, ndcgAt10, coverageAt10; B: recallAt12, ndcgAt12, coverageAt12. */
  readonly metrics: Readonly<Record<string, number>>;
  /** Time to build the model on the training part (ALS: the whole trainAls call, shared by B's quick methods). */
  readonly trainSeconds: number;
}

export interface ProtocolReport {
  readonly protocol: Protocol;
  readonly description: string;
  readonly trainUsers: number;
  readonly trainRatings: number;
  /** A: held-out ratings; B: held-out users. */
  readonly heldOut: number;
  readonly evaluatedUsers: number;
  readonly rows: readonly ModelRow[];
}

export interface EvaluationReport {
  readonly data: { readonly users: number; readonly items: number; readonly ratings: number };
  readonly seed: number;
  /** ALS options as trained, threads left out (results do not depend on them). */
  readonly als: Omit<AlsOptions, 'threads'>;
  readonly quick: { readonly foldinRegularization: number | null; readonly blendWeight: number | null };
  readonly protocols: readonly ProtocolReport[];
}

/** Runs the chosen protocols on one ratings matrix; `log` hears one line per finished step. */
export async function runEvaluation(
  ratings: RatingsMatrix,
  options: EvaluationOptions,
  log: (line: string) => void = () => {},
): Promise<EvaluationReport> {
  const als = resolveAlsOptions(options.als);
  const protocols: ProtocolReport[] = [];
  if (options.protocols.includes('A')) protocols.push(await knownUsers(ratings, als, options, log));
  if (options.protocols.includes('B')) protocols.push(await newUsers(ratings, als, options, log));
  const { threads: _threads, ...alsReported } = als;
  return {
    data: { users: ratings.byUser.rows, items: ratings.byItem.rows, ratings: ratings.byUser.indptr[ratings.byUser.rows] },
    seed: options.seed,
    als: alsReported,
    quick: { foldinRegularization: options.foldinRegularization ?? null, blendWeight: options.blendWeight ?? null },
    protocols,
  };
}

async function knownUsers(ratings: RatingsMatrix, als: AlsOptions, options: EvaluationOptions, log: (line: string) => void): Promise<ProtocolReport> {
  const split = splitKnownUsers(ratings, { ...defaultKnownUserSplit, seed: options.seed });
  const { train } = split;
  const rows: ModelRow[] = [];
  const add = (model: string, trainSeconds: number, score: KnownUserScorer): void => {
    const { users, ...metrics } = evaluateKnownUsers(split, score);
    rows.push({ protocol: 'A', model, users, metrics, trainSeconds });
    log(`A ${model}: ${formatMetrics(metrics)}`);
  };

  const popularity = timed(() => popularityScores(train.byItem.indptr));
  add('popularity', popularity.seconds, (_u, out) => out.set(popularity.value));
  const bias = timed(() => fitBaseline(train).itemBias);
  add('item-bias', bias.seconds, (_u, out) => out.set(bias.value));

  const model = await trainAls(train, als);
  log(`A als trained in ${model.seconds.toFixed(2)} s`);
  const user = new Float64Array(model.rank);
  add('als', model.seconds, (u, out) => {
    for (let a = 0; a < model.rank; a++) user[a] = model.userFactors[u * model.rank + a];
    multiplyRows(model.itemFactors, train.byItem.rows, model.rank, user, out);
  });

  return {
    protocol: 'A',
    description: `known users: ${defaultKnownUserSplit.fraction * 100}% of each user's ratings ≥ ${defaultKnownUserSplit.threshold} held out; ranked over items unrated in training`,
    trainUsers: train.byUser.rows,
    trainRatings: train.byUser.indptr[train.byUser.rows],
    heldOut: split.heldOut.items.length,
    evaluatedUsers: rows[0].users,
    rows,
  };
}

async function newUsers(ratings: RatingsMatrix, als: AlsOptions, options: EvaluationOptions, log: (line: string) => void): Promise<ProtocolReport> {
  const split = splitNewUsers(ratings, { ...defaultNewUserSplit, seed: options.seed });
  const { train, cases } = split;
  const itemCount = train.byItem.rows;
  const rows: ModelRow[] = [];
  const add = (model: string, trainSeconds: number, score: NewUserScorer): void => {
    const { users, ...metrics } = evaluateNewUsers(cases, itemCount, score);
    rows.push({ protocol: 'B', model, users, metrics, trainSeconds });
    log(`B ${model}: ${formatMetrics(metrics)}`);
  };

  const popularity = timed(() => popularityScores(train.byItem.indptr));
  add('popularity', popularity.seconds, () => popularity.value);
  const bias = timed(() => fitBaseline(train).itemBias);
  add('item-bias', bias.seconds, () => bias.value);

  const trained = await trainAls(train, als);
  log(`B als trained in ${trained.seconds.toFixed(2)} s`);
  const prepared = prepareModel(itemFactorModel(train, trained));
  for (const method of options.quickMethods ?? QUICK_METHODS) {
    add(`als-${method}`, trained.seconds, (picks) => {
      const movieIds = Array.from(picks, (i) => train.itemIds[i]);
      return quickScores(prepared, movieIds, {
        method,
        ...(options.foldinRegularization === undefined ? {} : { regularization: options.foldinRegularization }),
        ...(options.blendWeight === undefined ? {} : { blendWeight: options.blendWeight }),
      });
    });
  }

  return {
    protocol: 'B',
    description:
      `new users: ${defaultNewUserSplit.fraction * 100}% of users held out; ${defaultNewUserSplit.picks} of their ratings ≥ ` +
      `${defaultNewUserSplit.threshold} are the picks, the rest ≥ ${defaultNewUserSplit.threshold} to find; ranked over all items but the picks`,
    trainUsers: train.byUser.rows,
    trainRatings: train.byUser.indptr[train.byUser.rows],
    heldOut: split.heldOutUsers.length,
    evaluatedUsers: cases.length,
    rows,
  };
}

/** The trained item factors as the model the web app serves (same item order as the training matrix). */
function itemFactorModel(train: RatingsMatrix, trained: AlsResult): ItemFactorModel {
  const { threads: _t, solver: _s, cgSteps: _c, ...params } = trained.options;
  return { rank: trained.rank, itemIds: train.itemIds, itemFactors: trained.itemFactors, params, engine: 'inprocess', trainedAt: new Date().toISOString() };
}

function timed<T>(build: () => T): { value: T; seconds: number } {
  const started = performance.now();
  const value = build();
  return { value, seconds: (performance.now() - started) / 1000 };
}

function formatMetrics(metrics: Record<string, number>): string {
  return Object.entries(metrics).map(([name, value]) => `${name} ${value.toFixed(4)}`).join(', ');
}
