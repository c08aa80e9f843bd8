import { performance } from 'node:perf_hooks';
import type { RatingsMatrix } from '../../catalog/types.js';
import { resolveAlsOptions, trainAls, type AlsOptions, type AlsResult } from '../als/index.js';
import { fitBaseline } from '../baseline.js';
import { foldInScorer, pickWeights, prepareModel, type PreparedModel } from '../foldin.js';
import { multiplyRows } from '../linalg.js';
import type { ItemFactorModel } from '../model.js';
import { QUICK_METHODS, quickScorer, quickScores, type QuickMethod, type QuickOptions } from '../quick.js';
import type { ItemGenres } from '../rerank/genre-mix.js';
import type { ItemFacts } from '../rerank/rerank.js';
import { headOf } from '../rerank/item-facts.js';
import { DISCOVERY_STEPS, discoverySetting, quickOptionsOf, type QuickCandidateSetting } from '../rerank/steps.js';
import { ListTally, type ItemReference, type UserList } from './list-tally.js';
import { knownUserScorer, listOf, newUserLists, type RerankSetting } from './rerank-lists.js';
import { candidatesFromScorer } from '../rerank/candidates.js';
import { evaluateKnownUsers, NewUserTally, popularityScores, type KnownUserScorer, type NewUserScorer } from './protocols.js';
import {
  defaultKnownUserSplit,
  defaultNewUserSplit,
  famousPickCases,
  splitKnownUsers,
  splitNewUserFolds,
  splitNewUsers,
  type KnownUserSplit,
  type NewUserCase,
  type NewUserSplit,
} from './splits.js';

export type Protocol = 'A' | 'B';

/** Protocol B's default number of folds over users (1: the single split holding out 10% of users). */
export const DEFAULT_FOLDS = 10;
/** Share of a fold's training users held out to tune the quick methods (never the fold's test users). */
export const VALIDATION_FRACTION = 0.1;
/**
 * Fold-in λ tried on the validation users, besides the model's own; in the units of --foldin-regularization,
 * so with scaleRegularization the solve uses λ × 5 for five picks.
 */
export const FOLDIN_REGULARIZATION_GRID: readonly number[] = [3, 10, 30, 100, 300, 1000];
/** Blend weights (fold-in's share) tried on the validation users, with the tuned fold-in λ; 0 is itemsim, 1 fold-in. */
export const BLEND_WEIGHT_GRID: readonly number[] = [0, 0.25, 0.5, 0.75, 1];

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
  /** Protocol B's folds over users (DEFAULT_FOLDS when absent); 1 is the single 10% split. */
  readonly folds?: number;
  /** Tune fold-in's λ and the blend weight on validation users in each fold (rows als-*-tuned); true when absent. */
  readonly tune?: boolean;
  /** Genres of each item (dense order of the ratings) for the re-ranker and the genre figures; none when absent. */
  readonly itemGenres?: ItemGenres;
}

/** How new users choose their picks in protocol B's re-ranking rows: at random among their liked movies, or their most-rated. */
export const PICK_SCENARIOS = ['random', 'famous'] as const;

/** The re-ranking rows' settings: one per step of the familiar ↔ discover setting. */
export const RERANK_SETTINGS: readonly RerankSetting[] = DISCOVERY_STEPS.map((step) => ({ name: step, options: discoverySetting(step).rerank }));

/** One line of the results table. */
export interface ModelRow {
  readonly protocol: Protocol;
  /**
   * A: 'popularity', 'item-bias', 'als', 'original-itemsim' (picks·V·Vᵀ with all the user's training movies as picks);
   * B: 'popularity', 'item-bias', 'als-<quick method>', 'als-foldin-tuned', 'als-blend-tuned'.
   * Re-ranking rows (accuracy and beyond-accuracy figures at 12 and 48): A 'full-<step>' (the model's top 300
   * re-ranked); B '<scenario>/quick-<step>' (itemsim's top 300) and '<scenario>/full-<step>' (fold-in's top 300).
   */
  readonly model: string;
  /** Users evaluated (B: over all folds). */
  readonly users: number;
  /** Protocol A: precisionAt10, recallAt20, ndcgAt10, coverageAt10; B: recallAt12, ndcgAt12, coverageAt12. */
  readonly metrics: Readonly<Record<string, number>>;
  /**
   * Time to build the model on the training part (ALS: the whole trainAls call, shared by B's quick methods);
   * B: the mean over folds, the tuned rows including the validation model's training.
   */
  readonly trainSeconds: number;
}

/** How one fold's quick methods were tuned on its validation users. */
export interface FoldTuning {
  /** Training users held out for validation, and those of them with enough liked ratings. */
  readonly validationUsers: number;
  readonly evaluatedUsers: number;
  /** Training of the model without the validation users (the fold's model scores the test users). */
  readonly trainSeconds: number;
  /** The chosen --foldin-regularization, and the λ the solve uses for the picks (× picks when scaled). */
  readonly foldinRegularization: number;
  readonly foldinLambda: number;
  /** The chosen blend weight (with the chosen λ). */
  readonly blendWeight: number;
  /** Validation Recall@12 of each candidate. */
  readonly foldinGrid: ReadonlyArray<{ readonly regularization: number; readonly recallAt12: number }>;
  readonly blendGrid: ReadonlyArray<{ readonly blendWeight: number; readonly recallAt12: number }>;
}

/** One fold of protocol B. */
export interface FoldReport {
  readonly fold: number;
  readonly heldOutUsers: number;
  readonly evaluatedUsers: number;
  readonly trainUsers: number;
  readonly trainRatings: number;
  readonly trainSeconds: number;
  /** null when tuning is off or no validation user could be evaluated (then the defaults are used). */
  readonly tuning: FoldTuning | null;
}

export interface ProtocolReport {
  readonly protocol: Protocol;
  readonly description: string;
  /** B with folds: the mean over folds, rounded. */
  readonly trainUsers: number;
  readonly trainRatings: number;
  /** A: held-out ratings; B: held-out users (over all folds). */
  readonly heldOut: number;
  readonly evaluatedUsers: number;
  readonly rows: readonly ModelRow[];
  /** B only: each fold, with its tuning. */
  readonly folds?: readonly FoldReport[];
}

export interface EvaluationReport {
  readonly data: { readonly users: number; readonly items: number; readonly ratings: number };
  readonly seed: number;
  /** ALS options as trained, threads left out (results do not depend on them). */
  readonly als: Omit<AlsOptions, 'threads'>;
  readonly quick: { readonly foldinRegularization: number | null; readonly blendWeight: number | null };
  /** Protocol B's folds over users (1: a single 10% split). */
  readonly folds: number;
  /** The grids searched on validation users for the tuned rows; null when tuning is off. */
  readonly tuning: {
    readonly validationFraction: number;
    readonly foldinRegularizationGrid: readonly number[];
    readonly blendWeightGrid: readonly number[];
  } | null;
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
    folds: options.folds ?? DEFAULT_FOLDS,
    tuning: options.tune === false ? null : {
      validationFraction: VALIDATION_FRACTION,
      foldinRegularizationGrid: foldinGrid(als.regularization),
      blendWeightGrid: BLEND_WEIGHT_GRID,
    },
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
  // The original system's method for a known user: picks·V·Vᵀ with every training movie of the user as a pick.
  const { byUser } = train;
  add('original-itemsim', model.seconds, (u, out) => {
    user.fill(0);
    for (let n = byUser.indptr[u]; n < byUser.indptr[u + 1]; n++) {
      const base = byUser.indices[n] * model.rank;
      for (let a = 0; a < model.rank; a++) user[a] += model.itemFactors[base + a];
    }
    multiplyRows(model.itemFactors, train.byItem.rows, model.rank, user, out);
  });
  rows.push(...knownUserRerankRows(split, ratings, model, options, log));

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

const NO_GENRES: ItemGenres = { genreCount: 0, of: [] };

/** Figures are measured against the whole dataset's ratings per item; the re-ranker sees only its training part's. */
function itemReference(ratings: RatingsMatrix, options: EvaluationOptions): ItemReference {
  return { popularity: popularityScores(ratings.byItem.indptr), genres: options.itemGenres ?? NO_GENRES };
}

function itemFactsOf(train: RatingsMatrix, options: EvaluationOptions): ItemFacts {
  return { popularity: popularityScores(train.byItem.indptr), head: headOf(popularityScores(train.byItem.indptr)), genres: options.itemGenres ?? NO_GENRES };
}

/** Protocol A's 48: each user's top 300 by their trained factors, re-ranked at every step; picks are their liked training movies. */
function knownUserRerankRows(split: KnownUserSplit, ratings: RatingsMatrix, model: AlsResult, options: EvaluationOptions, log: (line: string) => void): ModelRow[] {
  const { byUser, byItem } = split.train;
  const facts = itemFactsOf(split.train, options);
  const tallies = RERANK_SETTINGS.map(() => new ListTally(itemReference(ratings, options)));
  const started = performance.now();
  const user = new Float64Array(model.rank);
  for (let u = 0; u < byUser.rows; u++) {
    const { indptr, items } = split.heldOut;
    if (indptr[u + 1] === indptr[u]) continue;
    const rated = byUser.indices.subarray(byUser.indptr[u], byUser.indptr[u + 1]);
    const values = byUser.values.subarray(byUser.indptr[u], byUser.indptr[u + 1]);
    const likedRows = rated.filter((_i, n) => values[n] >= defaultKnownUserSplit.threshold);
    const liked = likedRows.length > 0 ? likedRows : rated;
    for (let a = 0; a < model.rank; a++) user[a] = model.userFactors[u * model.rank + a];
    const candidates = candidatesFromScorer(knownUserScorer(model.itemFactors, model.rank, byItem.rows, user, liked, rated));
    const relevant = new Set(items.subarray(indptr[u], indptr[u + 1]));
    RERANK_SETTINGS.forEach((setting, s) => tallies[s].add(listOf(candidates, facts, setting.options, 48, liked, relevant)));
  }
  const seconds = (performance.now() - started) / 1000;
  return RERANK_SETTINGS.map((setting, s) => {
    const metrics = tallies[s].metrics();
    log(`A full-${setting.name}: ${formatMetrics(pickKeys(metrics, 48))}`);
    return { protocol: 'A' as const, model: `full-${setting.name}`, users: tallies[s].users, metrics, trainSeconds: model.seconds + seconds / RERANK_SETTINGS.length };
  });
}

/** The figures at one cut, for the log. */
function pickKeys(metrics: Record<string, number>, k: number): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).filter(([key]) => key.endsWith(`At${k}`)));
}

async function newUsers(ratings: RatingsMatrix, als: AlsOptions, options: EvaluationOptions, log: (line: string) => void): Promise<ProtocolReport> {
  const folds = options.folds ?? DEFAULT_FOLDS;
  const splits: Iterable<NewUserSplit> =
    folds === 1
      ? [splitNewUsers(ratings, { ...defaultNewUserSplit, seed: options.seed })]
      : splitNewUserFolds(ratings, { ...defaultNewUserSplit, folds, seed: options.seed });
  const itemCount = ratings.byItem.rows;
  // One tally per row, in row order; each fold adds its cases scored by that fold's models.
  const tallies = new Map<string, { tally: NewUserTally; seconds: number }>();
  const add = (model: string, seconds: number, cases: readonly NewUserCase[], score: NewUserScorer): void => {
    let entry = tallies.get(model);
    if (entry === undefined) tallies.set(model, (entry = { tally: new NewUserTally(itemCount), seconds: 0 }));
    entry.tally.add(cases, score);
    entry.seconds += seconds;
  };
  const quick = (prepared: PreparedModel, itemIds: Int32Array, quickOptions: QuickOptions): NewUserScorer => (picks) =>
    quickScores(prepared, Array.from(picks, (i) => itemIds[i]), quickOptions);
  const configured: Omit<QuickOptions, 'method'> = {
    ...(options.foldinRegularization === undefined ? {} : { regularization: options.foldinRegularization }),
    ...(options.blendWeight === undefined ? {} : { blendWeight: options.blendWeight }),
  };

  const reference = itemReference(ratings, options);
  const listTallies = new Map<string, { tally: ListTally; seconds: number }>();
  const addLists = (model: string, seconds: number, lists: readonly UserList[]): void => {
    let entry = listTallies.get(model);
    if (entry === undefined) listTallies.set(model, (entry = { tally: new ListTally(reference), seconds: 0 }));
    for (const list of lists) entry.tally.add(list);
    entry.seconds += seconds;
  };

  const foldReports: FoldReport[] = [];
  for (const split of splits) {
    const fold = foldReports.length;
    const { train, cases } = split;
    const popularity = timed(() => popularityScores(train.byItem.indptr));
    add('popularity', popularity.seconds, cases, () => popularity.value);
    const bias = timed(() => fitBaseline(train).itemBias);
    add('item-bias', bias.seconds, cases, () => bias.value);

    const trained = await trainAls(train, als);
    const prepared = prepareModel(itemFactorModel(train, trained));
    for (const method of options.quickMethods ?? QUICK_METHODS) {
      add(`als-${method}`, trained.seconds, cases, quick(prepared, train.itemIds, { method, ...configured }));
    }

    const facts = itemFactsOf(train, options);
    const movieIdsOf = (picks: Int32Array): number[] => Array.from(picks, (i) => train.itemIds[i]);
    for (const scenario of PICK_SCENARIOS) {
      const scenarioCases = scenario === 'random' ? cases : famousPickCases(cases, reference.popularity, defaultNewUserSplit.picks);
      // The quick 12: each step's own scorer (candidates computed once per scorer); the 48: fold-in's candidates.
      const surfaces = [
        ...[...new Set(DISCOVERY_STEPS.map((step) => candidateKey(discoverySetting(step))))].map((key) => {
          const steps = DISCOVERY_STEPS.filter((step) => candidateKey(discoverySetting(step)) === key);
          const setting = discoverySetting(steps[0]);
          return {
            surface: 'quick',
            scorer: (picks: Int32Array) => quickScorer(prepared, movieIdsOf(picks), quickOptionsOf(setting, facts.popularity)),
            perPick: setting.perPickCandidates ?? 0,
            settings: RERANK_SETTINGS.filter((_s, n) => steps.includes(DISCOVERY_STEPS[n])),
          };
        }),
        { surface: 'full', scorer: (picks: Int32Array) => foldInScorer(prepared, movieIdsOf(picks)), perPick: 0, settings: RERANK_SETTINGS },
      ];
      for (const { surface, scorer, perPick, settings } of surfaces) {
        const started = performance.now();
        const lists = newUserLists(scenarioCases, scorer, facts, settings, 48, perPick);
        const seconds = (performance.now() - started) / 1000 / settings.length;
        settings.forEach((setting, s) => addLists(`${scenario}/${surface}-${setting.name}`, trained.seconds + seconds, lists[s]));
      }
    }

    let tuning: FoldTuning | null = null;
    if (options.tune !== false) {
      tuning = await tuneQuick(train, als, options.seed, fold);
      const regularization = tuning?.foldinRegularization ?? als.regularization;
      const blendWeight = tuning?.blendWeight ?? 0.5;
      const seconds = trained.seconds + (tuning?.trainSeconds ?? 0);
      add('als-foldin-tuned', seconds, cases, quick(prepared, train.itemIds, { method: 'foldin', regularization }));
      add('als-blend-tuned', seconds, cases, quick(prepared, train.itemIds, { method: 'blend', regularization, blendWeight }));
    }
    foldReports.push({
      fold,
      heldOutUsers: split.heldOutUsers.length,
      evaluatedUsers: cases.length,
      trainUsers: train.byUser.rows,
      trainRatings: train.byUser.indptr[train.byUser.rows],
      trainSeconds: trained.seconds,
      tuning,
    });
    log(
      `B fold ${fold + 1}/${folds}: ${cases.length} users, als trained in ${trained.seconds.toFixed(2)} s` +
        (tuning === null
          ? ''
          : `; tuned on ${tuning.evaluatedUsers} validation users: foldin λ ${tuning.foldinRegularization} (×picks = ${tuning.foldinLambda}), ` +
            `blend weight ${tuning.blendWeight}`),
    );
  }

  const rows: ModelRow[] = [...tallies].map(([model, { tally, seconds }]) => {
    const { users, ...metrics } = tally.metrics();
    log(`B ${model}: ${formatMetrics(metrics)}`);
    return { protocol: 'B', model, users, metrics, trainSeconds: seconds / foldReports.length };
  });
  for (const [model, { tally, seconds }] of listTallies) {
    const metrics = tally.metrics();
    log(`B ${model}: ${formatMetrics(pickKeys(metrics, model.includes('/quick-') ? 12 : 48))}`);
    rows.push({ protocol: 'B', model, users: tally.users, metrics, trainSeconds: seconds / foldReports.length });
  }
  const mean = (key: 'trainUsers' | 'trainRatings'): number => Math.round(foldReports.reduce((sum, f) => sum + f[key], 0) / foldReports.length);
  const held =
    folds === 1
      ? `${defaultNewUserSplit.fraction * 100}% of users held out`
      : `${folds}-fold cross-validation over users (each held out once, trained on the rest)`;
  return {
    protocol: 'B',
    description:
      `new users: ${held}; ${defaultNewUserSplit.picks} of their ratings ≥ ` +
      `${defaultNewUserSplit.threshold} are the picks, the rest ≥ ${defaultNewUserSplit.threshold} to find; ranked over all items but the picks` +
      (options.tune === false
        ? ''
        : `; *-tuned: fold-in λ, then blend weight, chosen by Recall@12 on ${VALIDATION_FRACTION * 100}% of each fold's training users ` +
          'with a model trained without them'),
    trainUsers: mean('trainUsers'),
    trainRatings: mean('trainRatings'),
    heldOut: foldReports.reduce((sum, f) => sum + f.heldOutUsers, 0),
    evaluatedUsers: foldReports.reduce((sum, f) => sum + f.evaluatedUsers, 0),
    rows,
    folds: foldReports,
  };
}

/** The fold-in λ candidates: the model's own, then the grid (ascending, without duplicates). */
function foldinGrid(modelRegularization: number): number[] {
  return [...new Set([modelRegularization, ...FOLDIN_REGULARIZATION_GRID])].sort((a, b) => a - b);
}

/**
 * Chooses fold-in's λ, then (with it) the blend weight, by Recall@12 on validation users: a seeded share of the
 * fold's training users, left out of a model trained for this purpose only. Ties go to the earlier candidate.
 * null when no validation user has enough liked ratings.
 */
async function tuneQuick(train: RatingsMatrix, als: AlsOptions, seed: number, fold: number): Promise<FoldTuning | null> {
  const validationSeed = (seed + 1_000_003 * (fold + 1)) % Number.MAX_SAFE_INTEGER;
  const validation = splitNewUsers(train, { ...defaultNewUserSplit, fraction: VALIDATION_FRACTION, seed: validationSeed });
  const { cases } = validation;
  if (cases.length === 0) return null;
  const trained = await trainAls(validation.train, als);
  const prepared = prepareModel(itemFactorModel(validation.train, trained));
  const itemIds = validation.train.itemIds;
  const recall = (quickOptions: QuickOptions): number => {
    const tally = new NewUserTally(itemIds.length);
    tally.add(cases, (picks) => quickScores(prepared, Array.from(picks, (i) => itemIds[i]), quickOptions));
    return tally.metrics().recallAt12;
  };
  const best = <T>(grid: ReadonlyArray<T & { recallAt12: number }>): T & { recallAt12: number } =>
    grid.reduce((top, candidate) => (candidate.recallAt12 > top.recallAt12 ? candidate : top));

  const foldin = foldinGrid(als.regularization).map((regularization) => ({ regularization, recallAt12: recall({ method: 'foldin', regularization }) }));
  const { regularization } = best(foldin);
  const blend = BLEND_WEIGHT_GRID.map((blendWeight) => ({ blendWeight, recallAt12: recall({ method: 'blend', regularization, blendWeight }) }));
  return {
    validationUsers: validation.heldOutUsers.length,
    evaluatedUsers: cases.length,
    trainSeconds: trained.seconds,
    foldinRegularization: regularization,
    foldinLambda: pickWeights(prepared, defaultNewUserSplit.picks, { regularization }).lambda,
    blendWeight: best(blend).blendWeight,
    foldinGrid: foldin,
    blendGrid: blend,
  };
}

/** The trained item factors as the model the web app serves (same item order as the training matrix). */
function itemFactorModel(train: RatingsMatrix, trained: AlsResult): ItemFactorModel {
  const { threads: _t, solver: _s, cgSteps: _c, kernels: _k, ...params } = trained.options;
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

/** Steps whose quick candidates are made the same way share one key (and one candidate computation per case). */
function candidateKey(setting: QuickCandidateSetting): string {
  const { quickMethod, blendWeight, foldinRegularization, perPickCandidates, pickPopularityExponent, pickWeightedPart, itemNormExponent } = setting;
  return JSON.stringify([quickMethod, blendWeight, foldinRegularization, perPickCandidates, pickPopularityExponent, pickWeightedPart, itemNormExponent]);
}
