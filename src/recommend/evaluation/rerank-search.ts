/**
 * Chooses the re-ranker's steps on VALIDATION users only: in each of the first few folds of protocol B, a seeded share
 * of the fold's training users is held out of a model trained for this purpose (as tuneQuick does), and every grid
 * setting re-ranks their quick 12 (itemsim's top 300) under both pick scenarios. The fold's test users are never seen.
 */
import type { RatingsMatrix } from '../../catalog/types.js';
import { trainAls, type AlsOptions } from '../als/index.js';
import { prepareModel } from '../foldin.js';
import { quickScorer, type QuickMethod } from '../quick.js';
import type { ItemGenres } from '../rerank/genre-mix.js';
import type { RerankOptions } from '../rerank/rerank.js';
import { headOf } from '../rerank/item-facts.js';
import { ListTally } from './list-tally.js';
import { popularityScores } from './protocols.js';
import { newUserLists, type RerankSetting } from './rerank-lists.js';
import { defaultNewUserSplit, famousPickCases, splitNewUserFolds, splitNewUsers } from './splits.js';

/** The grid searched: every combination of these values (the last run's; docs/recommendations.md has the earlier one). */
export const RERANK_GRID = {
  popularityExponent: [0, 0.05, 0.1, 0.15],
  discountFrom: [60],
  headShare: [0.45, 0.4, 0.3],
  quotaByPicks: [false, true],
  pickPenalty: [0.01, 0.03],
  calibration: [0],
  diversity: [0],
} as const;

/** Candidate scorers tried; the first is today's quick method, the baseline of every ratio. */
export const SEARCH_METHODS: readonly QuickMethod[] = ['itemsim', 'blend'];

/** Options that leave the plain order unchanged, to report the plain lists of each method as grid rows. */
const PLAIN_OPTIONS: RerankOptions = { popularityExponent: 0, discountFrom: 0, headShare: 1, quotaByPicks: false, pickPenalty: 0, calibration: 0, diversity: 0 };

/** The targets for the default step, and the popularity ceilings of the steps beyond it. */
export const STEP_TARGETS = {
  balanced: { recallRandom: 0.95, recallFamous: 0.9, popShare: 0.5, overlapRandom: 0.1, overlapFamous: 0.2, pickCoverage: 0.6 },
  explore: { popShare: 0.35, pickCoverage: 0.6 },
  discover: { popShare: 0.2, pickCoverage: 0.6 },
} as const;

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
  /** The candidates' scorer (the ratios are against plain itemsim all the same). */
  readonly method: QuickMethod;
  readonly options: RerankOptions;
  readonly random: ScenarioFigures;
  readonly famous: ScenarioFigures;
}

export interface RerankSearch {
  readonly seed: number;
  readonly folds: number;
  readonly validationUsers: number;
  readonly methods: readonly QuickMethod[];
  readonly grid: typeof RERANK_GRID;
  /** Plain itemsim: today's quick 12. */
  readonly plain: { readonly random: ScenarioFigures; readonly famous: ScenarioFigures };
  readonly results: readonly GridResult[];
  readonly chosen: Readonly<Record<'balanced' | 'explore' | 'discover', GridResult>>;
}

export function gridSettings(): RerankSetting[] {
  const settings: RerankSetting[] = [{ name: 'plain', options: null }];
  const g = RERANK_GRID;
  for (const popularityExponent of g.popularityExponent)
    for (const discountFrom of g.discountFrom)
      for (const headShare of g.headShare)
      for (const quotaByPicks of g.quotaByPicks)
      for (const pickPenalty of g.pickPenalty)
        for (const calibration of g.calibration)
          for (const diversity of g.diversity) {
            const options = { popularityExponent, discountFrom, headShare, quotaByPicks, pickPenalty, calibration, diversity };
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
  const tallyGrid = () => SEARCH_METHODS.map(() => settings.map(() => new ListTally(reference, [12])));
  const tallies = { random: tallyGrid(), famous: tallyGrid() };
  let fold = 0;
  let validationUsers = 0;
  for (const split of splitNewUserFolds(ratings, { ...defaultNewUserSplit, folds, seed })) {
    if (fold === searchFolds) break;
    // The same carve as tuneQuick: validation users come from the fold's training part only.
    const validationSeed = (seed + 1_000_003 * (fold + 1)) % Number.MAX_SAFE_INTEGER;
    const validation = splitNewUsers(split.train, { ...defaultNewUserSplit, fraction: 0.1, seed: validationSeed });
    const trained = await trainAls(validation.train, als);
    const { threads: _t, solver: _s, cgSteps: _c, ...params } = trained.options;
    const prepared = prepareModel({ rank: trained.rank, itemIds: validation.train.itemIds, itemFactors: trained.itemFactors, params, engine: 'inprocess', trainedAt: '' });
    const popularity = popularityScores(validation.train.byItem.indptr);
    const facts = { popularity, head: headOf(popularity), genres };
    const scenarios = { random: validation.cases, famous: famousPickCases(validation.cases, reference.popularity, defaultNewUserSplit.picks) };
    SEARCH_METHODS.forEach((method, m) => {
      const scorer = (picks: Int32Array) => quickScorer(prepared, Array.from(picks, (i) => validation.train.itemIds[i]), { method });
      for (const scenario of ['random', 'famous'] as const) {
        const lists = newUserLists(scenarios[scenario], scorer, facts, settings, 12);
        settings.forEach((_s, s) => lists[s].forEach((list) => tallies[scenario][m][s].add(list)));
      }
    });
    validationUsers += validation.cases.length;
    log(`rerank search: fold ${fold + 1}/${searchFolds}, ${validation.cases.length} validation users, ${settings.length - 1} settings`);
    fold++;
  }

  const figures = (scenario: 'random' | 'famous', method: number): ScenarioFigures[] => {
    const all = tallies[scenario][method].map((t) => t.metrics());
    const baseline = tallies[scenario][0][0].metrics().recallAt12;
    return all.map((m) => ({
      recallAt12: m.recallAt12,
      recallRatio: m.recallAt12 / baseline,
      popShareAt12: m.popShareAt12,
      overlapAt12: m.overlapAt12,
      pickCoverageAt12: m.pickCoverageAt12,
      calibrationKlAt12: m.calibrationKlAt12,
    }));
  };
  const results: GridResult[] = [];
  let plain: RerankSearch['plain'] | undefined;
  SEARCH_METHODS.forEach((method, m) => {
    const random = figures('random', m);
    const famous = figures('famous', m);
    if (m === 0) plain = { random: random[0], famous: famous[0] };
    settings.forEach((s, n) => results.push({ method, options: s.options ?? PLAIN_OPTIONS, random: random[n], famous: famous[n] }));
  });
  return {
    seed,
    folds: searchFolds,
    validationUsers,
    methods: SEARCH_METHODS,
    grid: RERANK_GRID,
    plain: plain!,
    results,
    chosen: chooseSteps(results),
  };
}

/**
 * balanced (the default): the setting whose worst target is met with the most room (the largest smallest relative
 * slack over the targets, both scenarios), so 106 noisy validation users do not pick a setting on the edge.
 * explore, discover: the best mean recall ratio among settings under their popularity ceiling with enough pick
 * coverage; when none is, the one falling least short (shortfalls relative to each target, summed).
 */
export function chooseSteps(results: readonly GridResult[]): RerankSearch['chosen'] {
  const b = STEP_TARGETS.balanced;
  const slack = (r: GridResult): number =>
    Math.min(
      r.random.recallRatio / b.recallRandom - 1,
      r.famous.recallRatio / b.recallFamous - 1,
      1 - r.random.popShareAt12 / b.popShare,
      1 - r.famous.popShareAt12 / b.popShare,
      1 - r.random.overlapAt12 / b.overlapRandom,
      1 - r.famous.overlapAt12 / b.overlapFamous,
      r.random.pickCoverageAt12 / b.pickCoverage - 1,
      r.famous.pickCoverageAt12 / b.pickCoverage - 1,
    );
  const ceiling = (target: { popShare: number; pickCoverage: number }) => (r: GridResult): number =>
    over(target.popShare, r.random.popShareAt12) + over(target.popShare, r.famous.popShareAt12) +
    short(target.pickCoverage, r.random.pickCoverageAt12) + short(target.pickCoverage, r.famous.pickCoverageAt12);
  return {
    balanced: results.reduce((top, r) => (slack(r) > slack(top) ? r : top)),
    explore: best(results, ceiling(STEP_TARGETS.explore)),
    discover: best(results, ceiling(STEP_TARGETS.discover)),
  };
}

function best(results: readonly GridResult[], shortfall: (r: GridResult) => number): GridResult {
  const recall = (r: GridResult): number => (r.random.recallRatio + r.famous.recallRatio) / 2;
  return results.reduce((top, r) => {
    const [a, b] = [shortfall(r), shortfall(top)];
    return a < b || (a === b && recall(r) > recall(top)) ? r : top;
  });
}

/** Relative shortfall below a floor, and excess above a ceiling (0 when met). */
function short(floor: number, value: number): number {
  return Math.max(0, (floor - value) / floor);
}

function over(ceiling: number, value: number): number {
  return Math.max(0, (value - ceiling) / ceiling);
}
