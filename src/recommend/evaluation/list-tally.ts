import { catalogCoverage, ndcgAtK, recallAtK } from '../metrics.js';
import type { ItemGenres } from '../rerank/genre-mix.js';
import {
  genreMiscalibration,
  intraListDiversity,
  meanPairwiseJaccard,
  mostRated,
  novelty,
  pickCoverage,
  popularShare,
} from './beyond-accuracy.js';

/** Lists are cut at these lengths: the quick 12 and the full 48. */
export const LIST_CUTS: readonly number[] = [12, 48];
/** "Among the most-rated": the 100 items with the most ratings in the whole dataset. */
export const POPULAR_HEAD = 100;

/** What the figures measure items against: the whole dataset's ratings per item, and genres. */
export interface ItemReference {
  readonly popularity: ArrayLike<number>;
  readonly genres: ItemGenres;
}

/** One user's list: items best first, each with its "because" (item row of a pick), or null for lists without reasons. */
export interface UserList {
  readonly picks: ArrayLike<number>;
  readonly relevant: ReadonlySet<number>;
  readonly items: ArrayLike<number>;
  readonly because: ArrayLike<number> | null;
}

/**
 * Accuracy and beyond-accuracy figures over many users' lists, at each cut k (keys like recallAt12, popShareAt48):
 * means over users of recall, NDCG, share among the POPULAR_HEAD most-rated, pick coverage, novelty, intra-list genre
 * diversity and genre miscalibration (KL); over all lists: catalogue coverage and mean pairwise Jaccard overlap.
 */
export class ListTally {
  private readonly lists: UserList[] = [];
  private readonly popular: ReadonlySet<number>;
  private readonly totalRatings: number;

  constructor(private readonly reference: ItemReference, private readonly cuts: readonly number[] = LIST_CUTS) {
    this.popular = mostRated(reference.popularity, POPULAR_HEAD);
    let total = 0;
    for (let i = 0; i < reference.popularity.length; i++) total += reference.popularity[i];
    this.totalRatings = total;
  }

  add(list: UserList): void {
    this.lists.push(list);
  }

  get users(): number {
    return this.lists.length;
  }

  metrics(): Record<string, number> {
    const users = this.lists.length;
    if (users === 0) throw new Error('no list to measure');
    const { popularity, genres } = this.reference;
    const out: Record<string, number> = {};
    for (const k of this.cuts) {
      const cut = this.lists.map((l) => Array.from(l.items).slice(0, k));
      const mean = (figure: (list: UserList, items: number[]) => number): number =>
        this.lists.reduce((sum, list, u) => sum + figure(list, cut[u]), 0) / users;
      out[`recallAt${k}`] = mean((l, items) => recallAtK(items, l.relevant, k));
      out[`ndcgAt${k}`] = mean((l, items) => ndcgAtK(items, l.relevant, k));
      out[`popShareAt${k}`] = mean((_l, items) => popularShare(items, this.popular));
      out[`overlapAt${k}`] = meanPairwiseJaccard(cut);
      if (this.lists.every((l) => l.because !== null)) {
        out[`pickCoverageAt${k}`] = mean((l) => pickCoverage(l.picks, Array.from(l.because!).slice(0, k)));
      }
      out[`coverageAt${k}`] = catalogCoverage(cut, popularity.length);
      out[`noveltyAt${k}`] = mean((_l, items) => novelty(items, popularity, this.totalRatings));
      out[`diversityAt${k}`] = mean((_l, items) => intraListDiversity(items, genres));
      out[`calibrationKlAt${k}`] = mean((l, items) => genreMiscalibration(l.picks, items, genres));
    }
    return out;
  }
}
