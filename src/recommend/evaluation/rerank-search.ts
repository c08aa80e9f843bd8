/**
 * Chooses the re-ranker's steps on VALIDATION users only: in each of the first few folds of protocol B, a seeded share
 * of the fold's training users is held out of a model trained for this purpose (as tuneQuick does), and every grid
 * setting re-ranks their quick 12 (itemsim's top 300) under both pick scenarios. The fold's test users are never seen.
 * Each figure is also measured fold by fold: its fold-to-fold spread sets the margin a target must be met by.
 */
import type { RatingsMatrix } from '../../catalog/types.js';
import { trainAls, type AlsOptions } from '../als/index.js';
import { prepareModel } from '../foldin.js';
import { quickScorer } from '../quick.js';
import type { ItemGenres } from '../rerank/genre-mix.js';
import type { RerankOptions } from '../rerank/rerank.js';
import { headOf } from '../rerank/item-facts.js';
import { quickOptionsOf, type QuickCandidateSetting } from '../rerank/steps.js';
import { ListTally } from './list-tally.js';
import { popularityScores } from './protocols.js';
import { newUserLists, type RerankSetting } from './rerank-lists.js';
import { defaultNewUserSplit, famousPickCases, splitNewUserFolds, splitNewUsers } from './splits.js';

/** The re-ranker grid searched over every scorer: every combination of these values (earlier grids: docs/recommendations.md). */
export const RERANK_GRID = {
  popularityExponent: [0, 0.1, 0.25],
  discountFrom: [60],
  headShare: [0.45, 0.4, 0.35, 0.2, 0.1],
  quotaByPicks: [false, true],
  pickPenalty: [0.01],
  calibration: [0.1],
  diversity: [0],
  pickCap: [false],
} as const;

/** Per-pick pool sizes tried with every fold-in-bearing scorer (0: the scorer's top 300 only). */
export const PER_PICK_GRID: readonly number[] = [0];

/**
 * Candidate scorers tried; the first is today's quick method, the baseline of every ratio. Blend weights and fold-in
 * λ form a grid, each with every pool of PER_PICK_GRID (run 4's exploration also had λ 100, pools of 30 and the cap).
 */
export const SEARCH_SCORERS: readonly QuickCandidateSetting[] = [
  { quickMethod: 'itemsim' },
  ...[0.5, 0.75, 1].flatMap((blendWeight) =>
    [undefined].flatMap((foldinRegularization: number | undefined) =>
      PER_PICK_GRID.map((perPickCandidates): QuickCandidateSetting => ({
        quickMethod: 'blend',
        blendWeight,
        ...(foldinRegularization === undefined ? {} : { foldinRegularization }),
        ...(perPickCandidates === 0 ? {} : { perPickCandidates }),
      })),
    ),
  ),
];

/** Options that leave the plain order unchanged, to report the plain lists of each method as grid rows. */
const PLAIN_OPTIONS: RerankOptions = { popularityExponent: 0, discountFrom: 0, headShare: 1, quotaByPicks: false, pickPenalty: 0, calibration: 0, diversity: 0 };

/** The targets for the default step, and the popularity ceilings of the steps beyond it. */
export const STEP_TARGETS = {
  balanced: { recallRandom: 0.95, recallFamous: 0.9, popShare: 0.5, overlapRandom: 0.1, overlapFamous: 0.2, pickCoverage: 0.6 },
  explore: { popShare: 0.35, pickCoverage: 0.6 },
  discover: { popShare: 0.2, pickCoverage: 0.6 },
} as const;

/**
 * How many standard errors of a validation-to-test difference a guarded target must be met by on validation: the
 * default step's six guarded targets (top-100 share, overlap, picks explained; both scenarios) all hold at a joint
 * 95% under fold noise alone (Bonferroni, Φ⁻¹(1 − 0.05/6) = 2.39).
 */
export const MARGIN_Z = 2.4;

export interface ScenarioFigures {
  readonly recallAt12: number;
  /** Recall@12 over the plain itemsim 12's on the same users. */
  readonly recallRatio: number;
  readonly popShareAt12: number;
  readonly overlapAt12: number;
  readonly pickCoverageAt12: number;
  readonly calibrationKlAt12: number;
}

export interface GridResult {
  /** The candidates' scorer and pool (the ratios are against plain itemsim all the same). */
  readonly scorer: QuickCandidateSetting;
  readonly options: RerankOptions;
  readonly random: ScenarioFigures;
  readonly famous: ScenarioFigures;
  /** Fold-to-fold standard deviation of each figure (each fold's validation users on their own). */
  readonly foldSd: { readonly random: ScenarioFigures; readonly famous: ScenarioFigures };
}

/** Per figure and scenario: the standard error of the difference between a validation figure and its test figure. */
export interface FigureNoise {
  readonly random: ScenarioFigures;
  readonly famous: ScenarioFigures;
}

export interface RerankSearch {
  readonly seed: number;
  readonly folds: number;
  readonly validationUsers: number;
  readonly scorers: readonly QuickCandidateSetting[];
  readonly grid: typeof RERANK_GRID;
  /** Plain itemsim: today's quick 12. */
  readonly plain: { readonly random: ScenarioFigures; readonly famous: ScenarioFigures };
  readonly results: readonly GridResult[];
  /** The noise the margins are made of, and the margins themselves (MARGIN_Z × noise). */
  readonly noise: FigureNoise;
  readonly margins: FigureNoise;
  readonly chosen: Readonly<Record<StepName, GridResult>>;
}

type StepName = keyof typeof STEP_TARGETS;
type Scenario = 'random' | 'famous';
type Figure = keyof ScenarioFigures;
const FIGURES: readonly Figure[] = ['recallAt12', 'recallRatio', 'popShareAt12', 'overlapAt12', 'pickCoverageAt12', 'calibrationKlAt12'];

export function gridSettings(): RerankSetting[] {
  const settings: RerankSetting[] = [{ name: 'plain', options: null }];
  const g = RERANK_GRID;
  for (const popularityExponent of g.popularityExponent)
    for (const discountFrom of g.discountFrom)
      for (const headShare of g.headShare)
      for (const quotaByPicks of g.quotaByPicks)
      for (const pickPenalty of g.pickPenalty)
        for (const calibration of g.calibration)
          for (const diversity of g.diversity)
          for (const pickCap of g.pickCap) {
            const options = { popularityExponent, discountFrom, headShare, quotaByPicks, pickPenalty, calibration, diversity, pickCap };
            settings.push({ name: JSON.stringify(options), options });
          }
  return settings;
}

/** Runs the grid on the validation users of the first `searchFolds` folds (of `folds`, seeded as the evaluation's). */
export async function searchRerank(
  ratings: RatingsMatrix,
  als: AlsOptions,
  genres: ItemGenres,
  seed: number,
  folds: number,
  searchFolds: number,
  log: (line: string) => void,
): Promise<RerankSearch> {
  const settings = gridSettings();
  const reference = { popularity: popularityScores(ratings.byItem.indptr), genres };
  const tallyGrid = () => SEARCH_SCORERS.map(() => settings.map(() => new ListTally(reference, [12])));
  const tallies = { random: tallyGrid(), famous: tallyGrid() };
  // perFold[scenario][method][setting]: one figure set per fold.
  const figureGrid = () => SEARCH_SCORERS.map(() => settings.map((): ScenarioFigures[] => []));
  const perFold = { random: figureGrid(), famous: figureGrid() };
  let fold = 0;
  let validationUsers = 0;
  for (const split of splitNewUserFolds(ratings, { ...defaultNewUserSplit, folds, seed })) {
    if (fold === searchFolds) break;
    // The same carve as tuneQuick: validation users come from the fold's training part only.
    const validationSeed = (seed + 1_000_003 * (fold + 1)) % Number.MAX_SAFE_INTEGER;
    const validation = splitNewUsers(split.train, { ...defaultNewUserSplit, fraction: 0.1, seed: validationSeed });
    const trained = await trainAls(validation.train, als);
    const { threads: _t, solver: _s, cgSteps: _c, kernels: _k, ...params } = trained.options;
    const prepared = prepareModel({ rank: trained.rank, itemIds: validation.train.itemIds, itemFactors: trained.itemFactors, params, engine: 'inprocess', trainedAt: '' });
    const popularity = popularityScores(validation.train.byItem.indptr);
    const facts = { popularity, head: headOf(popularity), genres };
    const scenarios = { random: validation.cases, famous: famousPickCases(validation.cases, reference.popularity, defaultNewUserSplit.picks) };
    const foldTallies = { random: tallyGrid(), famous: tallyGrid() };
    SEARCH_SCORERS.forEach((setting, m) => {
      const quick = quickOptionsOf(setting);
      const scorer = (picks: Int32Array) => quickScorer(prepared, Array.from(picks, (i) => validation.train.itemIds[i]), quick);
      for (const scenario of ['random', 'famous'] as const) {
        const lists = newUserLists(scenarios[scenario], scorer, facts, settings, 12, setting.perPickCandidates ?? 0);
        settings.forEach((_s, s) =>
          lists[s].forEach((list) => {
            tallies[scenario][m][s].add(list);
            foldTallies[scenario][m][s].add(list);
          }),
        );
      }
    });
    for (const scenario of ['random', 'famous'] as const) {
      const foldBaseline = foldTallies[scenario][0][0].metrics().recallAt12;
      SEARCH_SCORERS.forEach((_scorer, m) =>
        settings.forEach((_s, s) => perFold[scenario][m][s].push(figuresOf(foldTallies[scenario][m][s].metrics(), foldBaseline))),
      );
    }
    validationUsers += validation.cases.length;
    log(`rerank search: fold ${fold + 1}/${searchFolds}, ${validation.cases.length} validation users, ${SEARCH_SCORERS.length} scorers × ${settings.length - 1} settings`);
    fold++;
  }

  const figures = (scenario: Scenario, method: number): ScenarioFigures[] => {
    const baseline = tallies[scenario][0][0].metrics().recallAt12;
    return tallies[scenario][method].map((t) => figuresOf(t.metrics(), baseline));
  };
  const results: GridResult[] = [];
  let plain: RerankSearch['plain'] | undefined;
  SEARCH_SCORERS.forEach((scorer, m) => {
    const random = figures('random', m);
    const famous = figures('famous', m);
    if (m === 0) plain = { random: random[0], famous: famous[0] };
    settings.forEach((s, n) =>
      results.push({
        scorer,
        options: s.options ?? PLAIN_OPTIONS,
        random: random[n],
        famous: famous[n],
        foldSd: { random: standardDeviations(perFold.random[m][n]), famous: standardDeviations(perFold.famous[m][n]) },
      }),
    );
  });
  const noise = figureNoise(results, fold, folds);
  const margins = mapNoise(noise, (se) => MARGIN_Z * se);
  return {
    seed,
    folds: searchFolds,
    validationUsers,
    scorers: SEARCH_SCORERS,
    grid: RERANK_GRID,
    plain: plain!,
    results,
    noise,
    margins,
    chosen: chooseSteps(results, noise),
  };
}

function figuresOf(m: Record<string, number>, baselineRecall: number): ScenarioFigures {
  return {
    recallAt12: m.recallAt12,
    recallRatio: m.recallAt12 / baselineRecall,
    popShareAt12: m.popShareAt12,
    overlapAt12: m.overlapAt12,
    pickCoverageAt12: m.pickCoverageAt12,
    calibrationKlAt12: m.calibrationKlAt12,
  };
}

function standardDeviations(folds: readonly ScenarioFigures[]): ScenarioFigures {
  const sd = (figure: Figure): number => {
    if (folds.length < 2) return NaN;
    const mean = folds.reduce((sum, f) => sum + f[figure], 0) / folds.length;
    return Math.sqrt(folds.reduce((sum, f) => sum + (f[figure] - mean) ** 2, 0) / (folds.length - 1));
  };
  return Object.fromEntries(FIGURES.map((f) => [f, sd(f)])) as unknown as ScenarioFigures;
}

/**
 * The standard error of (validation figure − test figure): each is a mean over folds of about the same size, so with
 * σ the fold-to-fold deviation (the median over the grid's settings, steadier than any one setting's from few folds)
 * it is σ·√(1/searchFolds + 1/testFolds).
 */
export function figureNoise(results: readonly GridResult[], searchFolds: number, testFolds: number): FigureNoise {
  const scale = Math.sqrt(1 / searchFolds + 1 / testFolds);
  const median = (values: number[]): number => {
    const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
    return sorted.length === 0 ? NaN : sorted[Math.floor((sorted.length - 1) / 2)];
  };
  const of = (scenario: Scenario): ScenarioFigures =>
    Object.fromEntries(FIGURES.map((f) => [f, scale * median(results.map((r) => r.foldSd[scenario][f]))])) as unknown as ScenarioFigures;
  return { random: of('random'), famous: of('famous') };
}

function mapNoise(noise: FigureNoise, fn: (se: number) => number): FigureNoise {
  const of = (figures: ScenarioFigures): ScenarioFigures =>
    Object.fromEntries(FIGURES.map((f) => [f, fn(figures[f])])) as unknown as ScenarioFigures;
  return { random: of(noise.random), famous: of(noise.famous) };
}

/** One target: a floor or a ceiling on one figure in one scenario. */
interface Target {
  readonly scenario: Scenario;
  readonly figure: Figure;
  readonly bound: number;
  readonly floor: boolean;
}

type Bounds = Partial<Record<'recallRandom' | 'recallFamous' | 'popShare' | 'overlapRandom' | 'overlapFamous' | 'pickCoverage', number>>;

/** A step's targets: `recall` the accuracy floors, `guarded` the others (met by MARGIN_Z standard errors). */
function targetsOf(step: StepName): { recall: Target[]; guarded: Target[] } {
  const t: Bounds = STEP_TARGETS[step];
  const recall: Target[] = [];
  const guarded: Target[] = [];
  const add = (to: Target[], scenario: Scenario, figure: Figure, bound: number | undefined, floor: boolean) => {
    if (bound !== undefined) to.push({ scenario, figure, bound, floor });
  };
  add(recall, 'random', 'recallRatio', t.recallRandom, true);
  add(recall, 'famous', 'recallRatio', t.recallFamous, true);
  add(guarded, 'random', 'overlapAt12', t.overlapRandom, false);
  add(guarded, 'famous', 'overlapAt12', t.overlapFamous, false);
  for (const scenario of ['random', 'famous'] as const) {
    add(guarded, scenario, 'popShareAt12', t.popShare, false);
    add(guarded, scenario, 'pickCoverageAt12', t.pickCoverage, true);
  }
  return { recall, guarded };
}

/**
 * Every step by one rule. Guarded targets (top-100 share, overlap, picks explained) must be met by MARGIN_Z standard
 * errors of a validation-to-test difference (`noise`); among the settings that do, the most accurate: for balanced the
 * one whose recall floors are met by the most standard errors (recall's fold noise is larger than the room any
 * setting has, so it is the objective rather than a guard), for explore and discover the best mean Recall@12 ratio.
 * When no setting meets the guards, the one whose worst target is met by the most standard errors.
 */
export function chooseSteps(results: readonly GridResult[], noise: FigureNoise): RerankSearch['chosen'] {
  const slack = (r: GridResult, t: Target): number => {
    const value = r[t.scenario][t.figure];
    return (t.floor ? value - t.bound : t.bound - value) / noise[t.scenario][t.figure];
  };
  const worst = (r: GridResult, targets: readonly Target[]): number => Math.min(...targets.map((t) => slack(r, t)));
  const meanRecall = (r: GridResult): number => (r.random.recallRatio + r.famous.recallRatio) / 2;
  const choose = (step: StepName): GridResult => {
    const { recall, guarded } = targetsOf(step);
    const safe = results.filter((r) => worst(r, guarded) >= MARGIN_Z);
    if (safe.length === 0) return maximal(results, (r) => worst(r, [...recall, ...guarded]));
    return maximal(safe, recall.length > 0 ? (r) => worst(r, recall) : meanRecall);
  };
  return { balanced: choose('balanced'), explore: choose('explore'), discover: choose('discover') };
}

/** The first result with the largest value. */
function maximal(results: readonly GridResult[], value: (r: GridResult) => number): GridResult {
  return results.reduce((top, r) => (value(r) > value(top) ? r : top));
}
