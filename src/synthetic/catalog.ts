import type { Random } from '../recommend/random.js';
import { syntheticTitle } from './titles.js';
import { GENRES } from './vocabulary.js';

/** Dimensions of the hidden taste space the ratings come from. */
export const LATENT_DIMS = 16;

/** Spread of log-popularity (log-normal weights: a Zipf-like head and MovieLens's long tail of rarely rated movies). */
const POPULARITY_SIGMA = 2.2;

/** Movies per niche on average; a niche is a set of movies the same people watch (a sub-genre, an era, a franchise). */
const MOVIES_PER_NICHE = 100;
const MAX_NICHES = 400;

/** The movies of a synthetic catalog with the hidden item side of the model, index k ↔ movieIds[k] (ascending). */
export interface SyntheticCatalog {
  readonly count: number;
  readonly movieIds: Int32Array;
  readonly titles: readonly string[];
  /** Release year, 0 for the few titles without one. */
  readonly years: Int16Array;
  /** Bit g set when the movie has GENRES[g]; 0 means "(no genres listed)". */
  readonly genreMasks: Int32Array;
  /** Relative chance of being watched (heavy-tailed, independent of the niche). */
  readonly popularity: Float64Array;
  /** The niche each movie belongs to, 0 … niches − 1. */
  readonly niche: Int32Array;
  readonly niches: number;
  /** niches × LATENT_DIMS: the shared direction of each niche's movies. */
  readonly nicheCentres: Float32Array;
  /** Item bias of the rating model (popular movies tend to be rated higher). */
  readonly bias: Float32Array;
  /** count × LATENT_DIMS item factors of the rating model. */
  readonly factors: Float32Array;
}

export function generateCatalog(count: number, rng: Random, lastYear: number): SyntheticCatalog {
  const movieIds = movieIdSequence(count, rng);
  const niches = Math.max(1, Math.min(MAX_NICHES, Math.round(count / MOVIES_PER_NICHE)));
  const nicheGenres = Int32Array.from({ length: niches }, () => coreGenres(rng));
  const nicheCentres = new Float32Array(niches * LATENT_DIMS);
  for (let n = 0; n < nicheCentres.length; n++) nicheCentres[n] = rng.normal();
  const titles = new Array<string>(count);
  const years = new Int16Array(count);
  const genreMasks = new Int32Array(count);
  const niche = new Int32Array(count);
  for (let k = 0; k < count; k++) {
    titles[k] = syntheticTitle(rng);
    // Recent years dominate, as in MovieLens; a few titles carry no year.
    years[k] = rng.next() < 0.002 ? 0 : Math.max(1902, lastYear - Math.floor(-Math.log(1 - rng.next()) * 22));
    niche[k] = rng.int(niches);
    genreMasks[k] = movieGenres(nicheGenres[niche[k]], rng);
  }
  const popularity = popularityWeights(count, rng);
  const factors = itemFactors(niche, nicheCentres, rng);
  const bias = itemBiases(popularity, rng);
  return { count, movieIds, titles, years, genreMasks, popularity, niche, niches, nicheCentres, bias, factors };
}

/** Ascending ids with gaps, as MovieLens ids (removed and merged movies leave holes). */
function movieIdSequence(count: number, rng: Random): Int32Array {
  const ids = new Int32Array(count);
  let id = 0;
  for (let k = 0; k < count; k++) {
    id += rng.next() < 0.75 ? 1 : 2 + rng.int(12);
    ids[k] = id;
  }
  return ids;
}

/** A niche's genres: each at its MovieLens share, at least one. */
function coreGenres(rng: Random): number {
  let mask = 0;
  for (let g = 0; g < GENRES.length; g++) if (rng.next() < GENRES[g].share) mask |= 1 << g;
  return mask === 0 ? 1 << rng.int(4) : mask;
}

/** Mostly the niche's genres, now and then another; rarely none ("(no genres listed)"). */
function movieGenres(core: number, rng: Random): number {
  if (rng.next() < 0.004) return 0;
  let mask = 0;
  for (let g = 0; g < GENRES.length; g++) {
    const chance = core & (1 << g) ? 0.85 : GENRES[g].share * 0.15;
    if (rng.next() < chance) mask |= 1 << g;
  }
  return mask === 0 ? core : mask;
}

/** Heavy-tailed weights handed out by a rank that favours older (lower) ids, with noise so it isn't a strict id order. */
function popularityWeights(count: number, rng: Random): Float64Array {
  const key = new Float64Array(count);
  for (let k = 0; k < count; k++) key[k] = (0.5 * k) / count + rng.next();
  const order = Int32Array.from({ length: count }, (_, k) => k).sort((a, b) => key[a] - key[b] || a - b);
  const levels = new Float64Array(count);
  for (let k = 0; k < count; k++) levels[k] = rng.normal();
  levels.sort().reverse();
  const weights = new Float64Array(count);
  for (let rank = 0; rank < count; rank++) weights[order[rank]] = Math.exp(POPULARITY_SIGMA * levels[rank]);
  return weights;
}

/** Item factors: the niche's centre plus an individual part, scaled to unit expected length. */
function itemFactors(niche: Int32Array, centres: Float32Array, rng: Random): Float32Array {
  const count = niche.length;
  const factors = new Float32Array(count * LATENT_DIMS);
  const scale = 1 / Math.sqrt(LATENT_DIMS);
  for (let k = 0; k < count; k++) {
    for (let d = 0; d < LATENT_DIMS; d++) {
      factors[k * LATENT_DIMS + d] = (0.8 * centres[niche[k] * LATENT_DIMS + d] + 0.6 * rng.normal()) * scale;
    }
  }
  return factors;
}

/** Bias = noise + a share of standardized log-popularity. */
function itemBiases(popularity: Float64Array, rng: Random): Float32Array {
  const count = popularity.length;
  let mean = 0;
  for (let k = 0; k < count; k++) mean += Math.log(popularity[k]);
  mean /= count;
  let variance = 0;
  for (let k = 0; k < count; k++) variance += (Math.log(popularity[k]) - mean) ** 2;
  const sd = Math.sqrt(variance / count) || 1;
  const bias = new Float32Array(count);
  for (let k = 0; k < count; k++) bias[k] = 0.35 * rng.normal() + (0.2 * (Math.log(popularity[k]) - mean)) / sd;
  return bias;
}
