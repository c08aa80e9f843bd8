/**
 * The re-ranking stage shared by the quick 12, the full 48 and "more like this": candidates with their model scores
 * and per-pick contributions in, a ranked list with a "because" (the pick contributing most) per item out.
 *
 * Plain (no options): the candidates by score, ties to the lower item row — the model's own top n.
 * Otherwise a greedy list: each step takes the candidate with the largest
 *   (1 − λ)·rel(c) − λ·KL(p ‖ q̃(S ∪ c)) − γ·explained(because(c)) − μ·max_{s∈S} genreOverlap(c, s) − τ·head(c)
 * where rel(c) = s_c · min(1, m / pop_c)^β scaled so the best candidate is 1: a popularity discount only for items
 * with more than m ratings (so it never crowns the barely rated), Steck's λ-calibration, an MMR term, and a
 * diminishing share per pick so one famous pick cannot explain most of the list. A head quota keeps the share of
 * the most-rated items (facts.head) in every prefix of the list at most headShare (rounded up), so the top of the
 * list cannot be a popularity chart whatever the picks; an optional per-pick cap does the same for any one pick.
 */
import { addItemGenres, calibrationKl, CALIBRATION_ALPHA, genreMix, type ItemGenres } from './genre-mix.js';

export interface RerankCandidates {
  /** Item rows of the picks (their genre mix is the calibration target). */
  readonly picks: Int32Array;
  /** Candidate item rows (picks excluded by the caller). */
  readonly items: Int32Array;
  /** Model score of each candidate. */
  readonly scores: Float64Array;
  /** contributions[c · picks.length + j]: the part of candidate c's score owed to pick j. */
  readonly contributions: Float64Array;
}

/** Candidates whose "because" is already known (stored lists): the re-ranker needs no contributions then. */
export interface ExplainedCandidates {
  /** Item rows of the picks. */
  readonly picks: Int32Array;
  readonly items: Int32Array;
  readonly scores: Float64Array;
  /** because[c]: the index into `picks` of the pick candidate c owes most to. */
  readonly because: Int32Array;
}

/** What the re-ranker knows of every item row. */
export interface ItemFacts {
  /** Ratings per item row in the model's training data. */
  readonly popularity: ArrayLike<number>;
  /** 1 for the most-rated item rows (the head the quota limits). */
  readonly head: Uint8Array;
  readonly genres: ItemGenres;
}

export interface RerankOptions {
  /** β of the discount s · (m / pop)^β (0: none). */
  readonly popularityExponent: number;
  /** m: items with at most this many ratings are not discounted. */
  readonly discountFrom: number;
  /** Largest share of head items in any prefix of k items: at most ⌈headShare·k⌉ (1: no quota). */
  readonly headShare: number;
  /**
   * Loosen the quota by the picks: share = 1 − (1 − headShare)·f with f the picks' share in the head, so famous picks
   * (which say little beyond popularity) get the full quota and picks off the beaten track hardly any.
   */
  readonly quotaByPicks: boolean;
  /**
   * κ: with quotaByPicks, f becomes f^κ (1 when absent), so a large κ keeps the quota for picks almost all in the head
   * (where the head penalty alone does not reach) and lifts it for everyone else.
   */
  readonly quotaPicksExponent?: number;
  /** With quotaByPicks, f becomes min(1, f / f₀): picks at least f₀ in the head get the whole quota (1 when absent). */
  readonly quotaFullFrom?: number;
  /** Whatever the picks, at most ⌈headCap·k⌉ head items in any prefix of k (1 when absent). */
  readonly headCap?: number;
  /** γ: each item a pick already explains lowers that pick's next candidates by γ (rel units). */
  readonly pickPenalty: number;
  /** λ of Steck's calibration, in [0, 1]. */
  readonly calibration: number;
  /** μ of the MMR term over genre overlap (Jaccard of genre sets). */
  readonly diversity: number;
  /** No pick explains more than ⌈k/picks⌉ + 1 of any prefix of k items (unless only such candidates are left). */
  readonly pickCap?: boolean;
  /**
   * τ: a head item's gain is lowered by τ (rel units). Unlike the quota, this spends head places where the model is
   * surest of them: a head item stays when it beats the best item outside the head by more than τ (a Lagrangian of
   * "at most this share of head items on average" rather than a per-list cap).
   */
  readonly headPenalty?: number;
}

export interface RerankedItem {
  readonly item: number;
  /** The model's score (not the re-ranking objective). */
  readonly score: number;
  /** Item row of the pick contributing most (ties: the earlier pick). */
  readonly because: number;
}

/** The top n of the candidates, plain (options null) or re-ranked. */
export function rerank(candidates: RerankCandidates, facts: ItemFacts, options: RerankOptions | null, n: number): RerankedItem[] {
  const { picks, items, scores, contributions } = candidates;
  const count = items.length;
  if (scores.length !== count || contributions.length !== count * picks.length) {
    throw new Error(`rerank: ${count} candidates need ${count} scores and ${count * picks.length} contributions`);
  }
  if (picks.length === 0) throw new Error('rerank: at least one pick is needed');
  const because = new Int32Array(count);
  for (let c = 0; c < count; c++) because[c] = strongestPick(contributions, c, picks.length);
  return rerankExplained({ picks, items, scores, because }, facts, options, n);
}

/** rerank() for candidates that carry their because: the same list, without the contribution matrix. */
export function rerankExplained(candidates: ExplainedCandidates, facts: ItemFacts, options: RerankOptions | null, n: number): RerankedItem[] {
  const { picks, items, scores, because } = candidates;
  return rerankedPositions(candidates, facts, options, n).map((c) => ({ item: items[c], score: scores[c], because: picks[because[c]] }));
}

/** rerankExplained's list as positions in the candidate arrays, for a caller that keeps its own candidate records. */
export function rerankedPositions(candidates: ExplainedCandidates, facts: ItemFacts, options: RerankOptions | null, n: number): number[] {
  const { picks, items, scores, because } = candidates;
  if (scores.length !== items.length || because.length !== items.length) {
    throw new Error(`rerank: ${items.length} candidates need as many scores and becauses`);
  }
  if (picks.length === 0) throw new Error('rerank: at least one pick is needed');
  if (options === null) return plainOrder(items, scores).slice(0, n);
  return greedy(picks, items, scores, because, facts, options, n);
}

function strongestPick(contributions: Float64Array, c: number, pickCount: number): number {
  let best = 0;
  const base = c * pickCount;
  for (let j = 1; j < pickCount; j++) if (contributions[base + j] > contributions[base + best]) best = j;
  return best;
}

/** Candidate positions by score, best first, ties to the lower item row (topN's order). */
function plainOrder(items: Int32Array, scores: Float64Array): number[] {
  return Array.from(items, (_, c) => c).sort((a, b) => scores[b] - scores[a] || items[a] - items[b]);
}

function greedy(
  picks: Int32Array,
  items: Int32Array,
  scores: Float64Array,
  because: Int32Array,
  facts: ItemFacts,
  options: RerankOptions,
  n: number,
): number[] {
  const { popularityExponent: beta, pickPenalty, calibration: lambda, diversity } = options;
  const headPenalty = options.headPenalty ?? 0;
  const { genres } = facts;
  const pool = plainOrder(items, scores);
  const rel = new Float64Array(items.length);
  let top = 0;
  for (const c of pool) {
    const s = scores[c];
    const pop = facts.popularity[items[c]];
    // Discounting a negative score would favour popular items; such a score keeps its value.
    rel[c] = s > 0 && pop > options.discountFrom ? s * (options.discountFrom / pop) ** beta : s;
    if (rel[c] > top) top = rel[c];
  }
  if (top > 0) for (const c of pool) rel[c] /= top;

  const target = genreMix(picks, genres);
  const listMix = new Float64Array(genres.genreCount);
  const explained = new Int32Array(picks.length);
  let headCount = 0;
  let headPicks = 0;
  for (const p of picks) headPicks += facts.head[p];
  const headShare = headQuotaShare(options, headPicks / picks.length);
  const chosen: number[] = [];
  const taken = new Uint8Array(items.length);
  // The calibration term of a candidate depends only on its genres: computed once per genre set and step.
  const { classOf, classes } = genreClasses(items, genres);
  const klOfClass = new Float64Array(classes);
  const klStep = new Int32Array(classes).fill(-1);
  const calibrationStep = new CalibrationStep(target);
  // max over the chosen items of the genre overlap with each candidate, kept up to date as items are chosen
  const overlap = new Float64Array(items.length);
  while (chosen.length < Math.min(n, pool.length)) {
    let best = -1;
    let bestGain = -Infinity;
    const headAllowed = headCount + 1 <= Math.ceil(headShare * (chosen.length + 1) - 1e-9);
    const capPerPick = options.pickCap === true ? Math.ceil((chosen.length + 1) / picks.length) + 1 : Infinity;
    let capped = -1;
    let cappedGain = -Infinity;
    if (lambda > 0) calibrationStep.begin(listMix);
    for (const c of pool) {
      if (taken[c] === 1 || (!headAllowed && facts.head[items[c]] === 1)) continue;
      const overCap = explained[because[c]] + 1 > capPerPick;
      if (overCap && best !== -1) continue;
      let gain = (1 - lambda) * rel[c] - pickPenalty * explained[because[c]];
      if (lambda > 0) {
        const k = classOf[c];
        if (klStep[k] !== chosen.length) {
          klOfClass[k] = calibrationStep.withItem(genres, items[c]);
          klStep[k] = chosen.length;
        }
        gain -= lambda * klOfClass[k];
      }
      gain -= diversity * overlap[c] + headPenalty * facts.head[items[c]];
      if (overCap) {
        if (gain > cappedGain) [capped, cappedGain] = [c, gain];
      } else if (gain > bestGain) [best, bestGain] = [c, gain];
    }
    if (best === -1) best = capped; // every candidate left is over its pick's cap: the cap gives way
    if (best === -1) break; // only head items are left and the quota is full
    taken[best] = 1;
    headCount += facts.head[items[best]];
    chosen.push(best);
    explained[because[best]]++;
    addItemGenres(listMix, genres, items[best]);
    if (diversity > 0) {
      for (const c of pool) overlap[c] = Math.max(overlap[c], genreJaccard(genres.of[items[c]], genres.of[items[best]]));
    }
  }
  return chosen;
}

/** The largest share of head items a list may hold when a share f of its picks is in the head. */
export function headQuotaShare(options: RerankOptions, f: number): number {
  const quota = options.quotaByPicks
    ? 1 - (1 - options.headShare) * Math.min(1, f / (options.quotaFullFrom ?? 1)) ** (options.quotaPicksExponent ?? 1)
    : options.headShare;
  return Math.min(quota, options.headCap ?? 1);
}

/** Candidates with the same genre list share a class (0 … classes − 1). */
function genreClasses(items: Int32Array, genres: ItemGenres): { classOf: Int32Array; classes: number } {
  const { ofItem, classes } = itemGenreClasses(genres);
  // An item row past the genre lists has none: a class of its own, after the others.
  return { classOf: Int32Array.from(items, (item) => (item < ofItem.length ? ofItem[item] : classes)), classes: classes + 1 };
}

/** Each item row's genre class, worked out once per ItemGenres (they are made once per catalog). */
const genreClassCache = new WeakMap<ItemGenres, { ofItem: Int32Array; classes: number }>();

function itemGenreClasses(genres: ItemGenres): { ofItem: Int32Array; classes: number } {
  const cached = genreClassCache.get(genres);
  if (cached) return cached;
  const ids = new Map<string, number>();
  const ofItem = new Int32Array(genres.of.length);
  for (let item = 0; item < genres.of.length; item++) {
    const own = genres.of[item];
    const key = own === undefined ? '' : Array.prototype.join.call(own, ',');
    let id = ids.get(key);
    if (id === undefined) ids.set(key, (id = ids.size));
    ofItem[item] = id;
  }
  const made = { ofItem, classes: ids.size };
  genreClassCache.set(genres, made);
  return made;
}

/**
 * The calibration term KL(p ‖ q̃) of the list with one more item, for every candidate at one step of the greedy. Only
 * the candidate's own genres differ between candidates, so the other genres' terms are summed once per step and a
 * candidate costs a log per genre it shares with the picks (not one per genre of the picks).
 */
class CalibrationStep {
  private readonly p: Float64Array;
  /** Genres of the picks (p > 0), in index order. */
  private readonly present: Int32Array;
  private readonly term: Float64Array;
  private mix: Float64Array = new Float64Array(0);
  private grownTotal = 0;
  private sum = 0;
  private withoutGenres = 0;

  constructor(
    private readonly target: Float64Array,
    private readonly alpha = CALIBRATION_ALPHA,
  ) {
    let pSum = 0;
    for (let g = 0; g < target.length; g++) pSum += target[g];
    this.p = Float64Array.from(target, (w) => (pSum > 0 ? w / pSum : 0));
    this.present = Int32Array.from(Array.from(this.p.keys()).filter((g) => this.p[g] > 0));
    this.term = new Float64Array(target.length);
  }

  /** Before a step: the list's mix so far (read, not kept past the step). */
  begin(mix: Float64Array): void {
    this.mix = mix;
    let qSum = 0;
    for (let g = 0; g < mix.length; g++) qSum += mix[g];
    // A candidate with genres adds one unit of weight; one without leaves the list's mix as it is.
    this.grownTotal = qSum + 1;
    this.sum = 0;
    for (const g of this.present) {
      this.term[g] = this.termOf(g, mix[g], this.grownTotal);
      this.sum += this.term[g];
    }
    this.withoutGenres = calibrationKl(this.target, mix, this.alpha);
  }

  /** KL(p ‖ q̃) of the list's mix with `item` added. */
  withItem(genres: ItemGenres, item: number): number {
    const own = genres.of[item];
    if (own === undefined || own.length === 0) return this.withoutGenres;
    const share = 1 / own.length;
    let kl = this.sum;
    for (let i = 0; i < own.length; i++) {
      const g = own[i];
      if (this.p[g] === 0) continue;
      // A genre listed twice is counted once, at its first place, with all its shares.
      let times = 1;
      let first = true;
      for (let j = 0; j < own.length; j++) {
        if (j === i || own[j] !== g) continue;
        if (j < i) first = false;
        times++;
      }
      if (first) kl += this.termOf(g, this.mix[g] + times * share, this.grownTotal) - this.term[g];
    }
    return kl;
  }

  private termOf(g: number, weight: number, total: number): number {
    const pg = this.p[g];
    return pg * Math.log(pg / ((1 - this.alpha) * (weight / total) + this.alpha * pg));
  }
}

/** |A ∩ B| / |A ∪ B| of two genre lists (0 when both are empty). */
export function genreJaccard(a: ArrayLike<number> | undefined, b: ArrayLike<number> | undefined): number {
  const la = a?.length ?? 0;
  const lb = b?.length ?? 0;
  if (la === 0 || lb === 0) return 0;
  let common = 0;
  for (let x = 0; x < la; x++) for (let y = 0; y < lb; y++) if (a![x] === b![y]) common++;
  return common / (la + lb - common);
}
