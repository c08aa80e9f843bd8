import type { Random } from '../recommend/random.js';
import { createAliasTable, sampleAlias, type AliasTable } from './alias.js';
import type { SyntheticCatalog } from './catalog.js';

/** At most this share of a user's favourite niches is drawn from them (the rest of their ratings come from everywhere). */
const NICHE_DEPTH = 0.6;

/**
 * Draws the distinct movies one user rates: part from the user's favourite niches (so which movies a user
 * watches carries taste, not only popularity), the rest from the popularity law over the whole catalog.
 * Niches are small, so their part uses exponential keys (Efraimidis–Spirakis) over the niches' movies;
 * the catalog part uses an alias table and a stamp array, falling back to keys over the unseen movies
 * for a user who has already seen most of the popular mass.
 */
export class MovieSampler {
  private readonly everything: AliasTable;
  private readonly nicheMovies: Int32Array[];
  private readonly nicheChoice: AliasTable;
  private readonly stamp: Int32Array;
  private readonly keys: Float64Array;
  private readonly candidates: Int32Array;
  private call = 0;

  constructor(private readonly catalog: SyntheticCatalog) {
    this.everything = createAliasTable(catalog.popularity);
    this.nicheMovies = moviesByNiche(catalog);
    // Popular niches have more fans, less than in proportion (or a few niches would hold everyone).
    const mass = new Float64Array(catalog.niches);
    for (let k = 0; k < catalog.count; k++) mass[catalog.niche[k]] += catalog.popularity[k];
    for (let n = 0; n < mass.length; n++) mass[n] = Math.sqrt(mass[n]);
    this.nicheChoice = createAliasTable(mass);
    this.stamp = new Int32Array(catalog.count);
    this.keys = new Float64Array(catalog.count);
    this.candidates = new Int32Array(catalog.count);
  }

  /** A niche to be a fan of (never an empty one). */
  drawNiche(rng: Random): number {
    return sampleAlias(this.nicheChoice, rng.next());
  }

  /** Fills out[0, count) with distinct movie indices in ascending order; about tasteShare of them from the favourite niches. */
  drawDistinct(count: number, favourites: readonly number[], tasteShare: number, rng: Random, out: Int32Array): void {
    if (count > this.catalog.count) throw new Error(`cannot draw ${count} distinct movies from ${this.catalog.count}`);
    const mark = ++this.call;
    let drawn = this.drawFromNiches(count, favourites, tasteShare, mark, rng, out);
    const stamp = this.stamp;
    const budget = 4 * (count - drawn) + 64;
    for (let attempt = 0; drawn < count && attempt < budget; attempt++) {
      const movie = sampleAlias(this.everything, rng.next());
      if (stamp[movie] === mark) continue;
      stamp[movie] = mark;
      out[drawn++] = movie;
    }
    if (drawn < count) {
      const all = this.candidates;
      for (let k = 0; k < all.length; k++) all[k] = k;
      this.drawByKeys(all, all.length, count - drawn, mark, rng, out, drawn);
    }
    out.subarray(0, count).sort();
  }

  private drawFromNiches(count: number, favourites: readonly number[], tasteShare: number, mark: number, rng: Random, out: Int32Array): number {
    let size = 0;
    for (const niche of favourites) {
      this.candidates.set(this.nicheMovies[niche], size);
      size += this.nicheMovies[niche].length;
    }
    const quota = Math.min(Math.round(tasteShare * count), Math.floor(NICHE_DEPTH * size));
    return quota > 0 ? this.drawByKeys(this.candidates, size, quota, mark, rng, out, 0) : 0;
  }

  /** Weighted sampling without replacement of `need` unseen movies among candidates[0, size): the smallest keys Exp(1)/weight win. */
  private drawByKeys(candidates: Int32Array, size: number, need: number, mark: number, rng: Random, out: Int32Array, drawn: number): number {
    const { keys, stamp } = this;
    const weights = this.catalog.popularity;
    for (let n = 0; n < size; n++) {
      const movie = candidates[n];
      keys[n] = stamp[movie] === mark ? Infinity : -Math.log(1 - rng.next()) / weights[movie];
    }
    const threshold = keys.slice(0, size).sort()[need - 1];
    for (let n = 0; n < size && need > 0; n++) {
      if (keys[n] <= threshold) {
        stamp[candidates[n]] = mark;
        out[drawn++] = candidates[n];
        need--;
      }
    }
    return drawn;
  }
}

function moviesByNiche(catalog: SyntheticCatalog): Int32Array[] {
  const sizes = new Int32Array(catalog.niches);
  for (let k = 0; k < catalog.count; k++) sizes[catalog.niche[k]]++;
  const lists = Array.from(sizes, (size) => new Int32Array(size));
  const filled = new Int32Array(catalog.niches);
  for (let k = 0; k < catalog.count; k++) lists[catalog.niche[k]][filled[catalog.niche[k]]++] = k;
  return lists;
}
