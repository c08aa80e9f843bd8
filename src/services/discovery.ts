/**
 * The "familiar ↔ discover" setting as the services use it: the re-ranking stage's steps (src/recommend/rerank), how
 * the pages name them, how input names them, and the one place the recommendation services re-rank stored candidates
 * for a step (the quick 12 and the full 48 both come through Discovery.shown; the quick candidates' scorer for a
 * step is chosen beside it). No HTTP here.
 */
import { z } from 'zod';
import { ShownMemo } from './shown-memo.js';
import type { Catalog } from '../catalog/catalog.js';
import { perModel, type PreparedModel } from '../recommend/foldin.js';
import type { QuickMethod, QuickOptions } from '../recommend/quick.js';
import {
  DEFAULT_DISCOVERY_STEP,
  DISCOVERY_STEPS,
  discoverySetting,
  itemFacts,
  quickCandidateKey,
  quickOptionsOf,
  rerankedPositions,
  type DiscoveryStep,
  type ItemFacts,
  type QuickCandidateSetting,
  type RerankOptions,
} from '../recommend/rerank/index.js';

export { DEFAULT_DISCOVERY_STEP, DISCOVERY_STEPS, type DiscoveryStep };

/** What each step is called on the pages, most familiar first. */
export const DISCOVERY_STEP_LABELS: Readonly<Record<DiscoveryStep, string>> = {
  familiar: 'Familiar',
  balanced: 'Balanced',
  explore: 'Explore',
  discover: 'Discover',
};

const STEP_RULE = `Choose one of ${DISCOVERY_STEPS.join(', ')} (most familiar to most discovery).`;

/** A step as JSON sends it or a form posts it: its name. */
export const discoveryStepInput = z.enum(DISCOVERY_STEPS, { error: STEP_RULE });

/** A stored step as the services use it: null (never chosen) or one this code no longer has is the default. */
export function discoveryStepOf(stored: string | null): DiscoveryStep {
  return (DISCOVERY_STEPS as readonly string[]).includes(stored ?? '') ? (stored as DiscoveryStep) : DEFAULT_DISCOVERY_STEP;
}

/** A stored candidate: a movie and its score, best first as stored (with its `because` pick). */
export interface Candidate {
  readonly movieId: number;
  readonly score: number;
  readonly because: number;
}

/** The scorer of a step's quick candidates: its name (stored beside the candidates it made) and its options for a model. */
export interface QuickScorerChoice {
  readonly key: string;
  options(prepared: PreparedModel): QuickOptions;
}

/** How the recommendation services apply a step: which scorer makes the quick candidates, and which candidates show. */
export interface Discovery {
  /**
   * The `count` candidates to show for `step`, in order, each with its own `because`: 'familiar' keeps the stored
   * (plain) order, the other steps re-rank the candidates for these picks (src/recommend/rerank). No retraining:
   * what is stored does not change.
   */
  shown<T extends Candidate>(candidates: readonly T[], pickIds: readonly number[], step: DiscoveryStep, count: number): T[];
  /** The scorer of the quick candidates for `step`: the configured QUICK_METHOD for 'familiar' (today's method), else the step's own. */
  scorerFor(step: DiscoveryStep): QuickScorerChoice;
  /** The re-ranker's facts over a model's rows (the catalog's rating counts and genres), built once per model. */
  factsOf(prepared: PreparedModel): ItemFacts;
}

/** The re-ranker over the catalog's movies: their rating counts and genres are the item facts, built once. */
export function createDiscovery(catalog: Pick<Catalog, 'movies' | 'popularity'>, configured: QuickMethod): Discovery {
  // The services serve a step's scorer options and re-ranking, not per-pick pools: a step tuned with one would be
  // measured by the evaluation but not served, so refuse it here rather than serve something else.
  for (const step of DISCOVERY_STEPS) {
    if (discoverySetting(step).perPickCandidates !== undefined) {
      throw new Error(`discovery step ${step} sets perPickCandidates, which the services do not apply yet`);
    }
  }
  const movies = catalog.movies;
  const rowOf = new Map(movies.map((movie, row) => [movie.id, row]));
  /** The re-ranker's facts over these movies, by the catalog: rating counts and genres. */
  const factsOver = (ids: ArrayLike<number>): ItemFacts =>
    itemFacts(ids, Float64Array.from(ids, (id) => catalog.popularity(id)), (id) => movies[rowOf.get(id) ?? -1]?.genres);
  const facts = factsOver(Int32Array.from(movies, (movie) => movie.id));

  const memo = new ShownMemo();

  // Over a model's rows: the catalog's rating counts stand in for its training data's, for a pick weight as for the
  // re-ranker.
  const factsOf = perModel((prepared) => factsOver(prepared.model.itemIds));
  const choiceOf = (setting: QuickCandidateSetting): QuickScorerChoice => ({
    key: quickCandidateKey(setting),
    options: (prepared) => quickOptionsOf(setting, setting.pickPopularityExponent === undefined ? undefined : factsOf(prepared).popularity),
  });
  const choices = new Map<DiscoveryStep, QuickScorerChoice>(
    DISCOVERY_STEPS.map((step) => [step, choiceOf(step === 'familiar' ? { quickMethod: configured } : discoverySetting(step))]),
  );

  return {
    shown(candidates, pickIds, step, count) {
      const options = discoverySetting(step).rerank;
      if (options === null) return candidates.slice(0, count);
      const key = memo.keyOf(candidates, pickIds, step, count);
      const positions = memo.get(key) ?? memo.set(key, rerankCandidates(candidates, pickIds, options, count));
      return Array.from(positions, (p) => candidates[p]);
    },

    scorerFor(step) {
      return choices.get(step)!;
    },

    factsOf,
  };

  /** Positions in `candidates` of the ones shown, in order. */
  function rerankCandidates(candidates: readonly Candidate[], pickIds: readonly number[], options: RerankOptions, count: number): number[] {
    const pickRows: number[] = [];
    const pickIndex = new Map<number, number>();
    const indexOfPick = (id: number): number => {
      const known = pickIndex.get(id);
      if (known !== undefined) return known;
      const row = rowOf.get(id);
      if (row === undefined) return -1;
      pickIndex.set(id, pickRows.length);
      return pickRows.push(row) - 1;
    };
    for (const id of pickIds) indexOfPick(id);
    // Candidates the catalog and the picks can place, by their position in `candidates`.
    const usable: number[] = [];
    candidates.forEach((c, p) => {
      if (rowOf.has(c.movieId) && indexOfPick(c.because) >= 0) usable.push(p);
    });
    if (usable.length === 0) return candidates.slice(0, count).map((_, p) => p);
    const ranked = rerankedPositions(
      {
        picks: Int32Array.from(pickRows),
        items: Int32Array.from(usable, (p) => rowOf.get(candidates[p].movieId)!),
        scores: Float64Array.from(usable, (p) => candidates[p].score),
        because: Int32Array.from(usable, (p) => pickIndex.get(candidates[p].because)!),
      },
      facts,
      options,
      count,
    );
    return ranked.map((u) => usable[u]);
  }
}
