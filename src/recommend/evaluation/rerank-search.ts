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
import { headQuotaShare, type RerankOptions } from '../rerank/rerank.js';
import { headOf } from '../rerank/item-facts.js';
import { quickOptionsOf, type QuickCandidateSetting } from '../rerank/steps.js';
import { ListTally } from './list-tally.js';
import { popularityScores } from './protocols.js';
import { newUserLists, type RerankSetting } from './rerank-lists.js';
import { defaultNewUserSplit, famousPickCases, splitNewUserFolds, splitNewUsers } from './splits.js';

/** One grid: every combination of its values. */
export interface RerankGrid {
  readonly popularityExponent: readonly number[];
  readonly discountFrom: readonly number[];
  readonly headShare: readonly number[];
  readonly quotaByPicks: readonly boolean[];
  readonly quotaPicksExponent: readonly number[];
  readonly headCap: readonly number[];
  readonly quotaFullFrom: readonly number[];
  readonly pickPenalty: readonly number[];
  readonly calibration: readonly number[];
  readonly diversity: readonly number[];
  readonly pickCap: readonly boolean[];
  readonly headPenalty: readonly number[];
}

/**
 * The re-ranker grids searched over every scorer (their union; earlier grids: docs/recommendations.md): run 5's wide
 * grid, which sets explore and discover, run 6's around the head penalty with a quota kept for famous picks, and run
 * 7's with a cap on the head share whatever the picks, and run 8's with the whole quota from a share f₀ of head picks;
 * then run 9's two around balanced for the scorers with popularity discounts (RERANK_GRIDS=5,6).
 */
export const RERANK_GRIDS: readonly RerankGrid[] = [
  {
    popularityExponent: [0, 0.25],
    discountFrom: [60],
    headShare: [1, 0.45, 0.35, 0.2, 0.1],
    quotaByPicks: [false, true],
    quotaPicksExponent: [1],
    headCap: [1],
    quotaFullFrom: [1],
    pickPenalty: [0, 0.01],
    calibration: [0, 0.1],
    diversity: [0],
    pickCap: [false],
    headPenalty: [0, 0.05, 0.1, 0.15, 0.2, 0.3],
  },
  {
    popularityExponent: [0],
    discountFrom: [60],
    headShare: [0.45, 0.35, 0.3],
    quotaByPicks: [true],
    quotaPicksExponent: [2, 4, 8],
    headCap: [1],
    quotaFullFrom: [1],
    pickPenalty: [0, 0.005, 0.01],
    calibration: [0, 0.1],
    diversity: [0],
    pickCap: [false],
    headPenalty: [0.05, 0.075, 0.1, 0.125],
  },
  {
    popularityExponent: [0],
    discountFrom: [60],
    headShare: [0.35, 0.3, 0.2],
    quotaByPicks: [true],
    quotaPicksExponent: [2, 4, 8],
    headCap: [0.5],
    quotaFullFrom: [1],
    pickPenalty: [0.005, 0.01],
    calibration: [0, 0.1],
    diversity: [0],
    pickCap: [false],
    headPenalty: [0.05, 0.075, 0.1],
  },
  {
    popularityExponent: [0],
    discountFrom: [60],
    headShare: [0.35, 0.3],
    quotaByPicks: [true],
    quotaPicksExponent: [4, 8],
    headCap: [1],
    quotaFullFrom: [0.6, 0.8],
    pickPenalty: [0.005, 0.01],
    calibration: [0.1],
    diversity: [0],
    pickCap: [false],
    headPenalty: [0.05, 0.075, 0.1],
  },
  {
    popularityExponent: [0],
    discountFrom: [60],
    headShare: [0.45, 0.4, 0.35, 0.3],
    quotaByPicks: [true],
    quotaPicksExponent: [8],
    headCap: [1],
    quotaFullFrom: [0.8],
    pickPenalty: [0.005, 0.01],
    calibration: [0.1],
    diversity: [0],
    pickCap: [false],
    headPenalty: [0, 0.025, 0.05, 0.075, 0.1],
  },
  {
    popularityExponent: [0],
    discountFrom: [60],
    headShare: [0.45, 0.4, 0.35],
    quotaByPicks: [true],
    quotaPicksExponent: [8],
    headCap: [1],
    quotaFullFrom: [0.8],
    pickPenalty: [0, 0.005],
    calibration: [0, 0.1],
    diversity: [0],
    pickCap: [false],
    headPenalty: [0, 0.025, 0.05],
  },
];

/** Per-pick pool sizes tried with every fold-in-bearing scorer (0: the scorer's top 300 only). */
export const PER_PICK_GRID: readonly number[] = [0];

/** Run 9's popularity discounts inside the scorer: pick weights n_p^−η and item-norm discounts ‖y_i‖^−α (quick.ts). */
export const PICK_POPULARITY_GRID: readonly number[] = [0.1, 0.15, 0.2, 0.25, 0.5];
export const ITEM_NORM_GRID: readonly number[] = [0.25, 0.5, 1];

/**
 * Candidate scorers tried; the first is today's quick method, the baseline of every ratio. Blend weights and fold-in
 * λ form a grid, each with every pool of PER_PICK_GRID (run 4's exploration also had λ 100, pools of 30 and the cap),
 * then run 9's: itemsim and blend with pick weights and item-norm discounts, alone and together, and blend with the
 * pick weight in one part only.
 */
export const SEARCH_SCORERS: readonly QuickCandidateSetting[] = [
  { quickMethod: 'itemsim' },
  ...[0.5].flatMap((blendWeight) =>
    [undefined].flatMap((foldinRegularization: number | undefined) =>
      PER_PICK_GRID.map((perPickCandidates): QuickCandidateSetting => ({
        quickMethod: 'blend',
        blendWeight,
        ...(foldinRegularization === undefined ? {} : { foldinRegularization }),
        ...(perPickCandidates === 0 ? {} : { perPickCandidates }),
      })),
    ),
  ),
  { quickMethod: 'itemsim', pickPopularityExponent: 0.25 },
  { quickMethod: 'itemsim', itemNormExponent: 0.5 },
  ...PICK_POPULARITY_GRID.map((pickPopularityExponent): QuickCandidateSetting => ({ quickMethod: 'blend', pickPopularityExponent })),
  ...ITEM_NORM_GRID.map((itemNormExponent): QuickCandidateSetting => ({ quickMethod: 'blend', itemNormExponent })),
  { quickMethod: 'blend', pickPopularityExponent: 0.1, itemNormExponent: 0.25 },
  { quickMethod: 'blend', pickPopularityExponent: 0.15, itemNormExponent: 0.5 },
  ...(['itemsim', 'foldin'] as const).flatMap((pickWeightedPart) =>
    [0.15, 0.25, 0.5].map((pickPopularityExponent): QuickCandidateSetting => ({ quickMethod: 'blend', pickPopularityExponent, pickWeightedPart })),
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
 * How many standard errors of a validation-to-test difference a guarded target must be met by on validation. Fold
 * noise alone asks 2.4 for the default step's six guarded targets to hold together at 95% (Bonferroni,
 * Φ⁻¹(1 − 0.05/6) = 2.39), but run 3's validation-to-test shifts reached about 3 (picks explained −0.025 at a 0.0085
 * standard error): part of the shift is systematic (validation models train on fewer users), so 3.
 */
export const MARGIN_Z = 3;

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
  readonly grids: readonly RerankGrid[];
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

export function gridSettings(grids: readonly RerankGrid[] = RERANK_GRIDS): RerankSetting[] {
  const settings: RerankSetting[] = [{ name: 'plain', options: null }];
  const seen = new Set<string>();
  for (const g of grids)
    for (const popularityExponent of g.popularityExponent)
      for (const discountFrom of g.discountFrom)
        for (const headShare of g.headShare)
          for (const quotaByPicks of g.quotaByPicks)
            for (const quotaPicksExponent of g.quotaPicksExponent)
             for (const headCap of g.headCap)
             for (const quotaFullFrom of g.quotaFullFrom)
              for (const pickPenalty of g.pickPenalty)
                for (const calibration of g.calibration)
                  for (const diversity of g.diversity)
                    for (const pickCap of g.pickCap)
                      for (const headPenalty of g.headPenalty) {
                        const options = { popularityExponent, discountFrom, headShare, quotaByPicks, quotaPicksExponent, headCap, quotaFullFrom, pickPenalty, calibration, diversity, pickCap, headPenalty };
                        const name = JSON.stringify(options);
                        if (seen.has(name)) continue;
                        seen.add(name);
                        settings.push({ name, options });
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
  grids: readonly RerankGrid[] = RERANK_GRIDS,
): Promise<RerankSearch> {
  const settings = gridSettings(grids);
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
      const quick = quickOptionsOf(setting, popularity);
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
    grids,
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
    const safe = results.filter((r) => worst(r, guarded) >= MARGIN_Z && (step !== 'balanced' || keepsFamousPicksOffTheChart(r.options)));
    if (safe.length === 0) return maximal(results, (r) => worst(r, [...recall, ...guarded]));
    return maximal(safe, recall.length > 0 ? (r) => worst(r, recall) : meanRecall);
  };
  return { balanced: choose('balanced'), explore: choose('explore'), discover: choose('discover') };
}

/**
 * The default step may not hand a popularity chart to picks that are mostly famous: with 4 of 5 picks among the most
 * rated (the issue's own example has 5 of 6), its quota keeps the head to at most the top-100 target. The scenarios
 * cannot see this: famous picks are all in the head and random ones seldom mostly so, so without this guard the search
 * prefers lifting the quota for exactly these users.
 */
export const MOSTLY_FAMOUS_PICKS = 0.8;

export function keepsFamousPicksOffTheChart(options: RerankOptions): boolean {
  return headQuotaShare(options, MOSTLY_FAMOUS_PICKS) <= STEP_TARGETS.balanced.popShare;
}

/** The first result with the largest value. */
function maximal(results: readonly GridResult[], value: (r: GridResult) => number): GridResult {
  return results.reduce((top, r) => (value(r) > value(top) ? r : top));
}
