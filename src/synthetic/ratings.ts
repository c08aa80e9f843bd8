import type { Random } from '../recommend/random.js';
import type { ByteWriter } from './byte-writer.js';
import { LATENT_DIMS, type SyntheticCatalog } from './catalog.js';
import { MovieSampler } from './sampler.js';

/** Global mean of the rating model before rounding (MovieLens averages about 3.5). */
const MEAN_RATING = 3.12;
const USER_BIAS_SD = 0.5;
const NOISE_SD = 0.75;
/** About half of MovieLens users never give half stars. */
const HALF_STAR_USERS = 0.5;
/** Share of a user's ratings drawn from their favourite niches: uniform in [MIN, MIN + SPREAD). */
const TASTE_SHARE_MIN = 0.5;
const TASTE_SHARE_SPREAD = 0.35;
const COMMA = 44;
const LINE_FEED = 10;

export interface RatingsPlan {
  /** Ratings per user, summing to the total. */
  readonly activity: Int32Array;
  /** Unix seconds bounding every timestamp. */
  readonly firstTimestamp: number;
  readonly lastTimestamp: number;
}

/** "0.5" … "5.0" as bytes, indexed by twice the rating. */
const RATING_BYTES: readonly Uint8Array[] = Array.from({ length: 11 }, (_, n) => Buffer.from((n / 2).toFixed(1)));

/**
 * Writes ratings.csv's rows for users 1…N in userId then movieId order, and returns how many
 * ratings each movie received. Which movies: see MovieSampler (popularity and favourite niches).
 * Values: mean + user bias + item bias + taste·item factors + noise, rounded to (half) stars.
 */
export function writeRatingRows(
  writer: ByteWriter,
  catalog: SyntheticCatalog,
  plan: RatingsPlan,
  rng: Random,
  onProgress: (ratingsWritten: number) => void = () => {},
): Int32Array {
  const { activity, firstTimestamp, lastTimestamp } = plan;
  const sampler = new MovieSampler(catalog);
  const perMovie = new Int32Array(catalog.count);
  let most = 0;
  for (let u = 0; u < activity.length; u++) most = Math.max(most, activity[u]);
  const chosen = new Int32Array(most);
  const taste = new Float64Array(LATENT_DIMS);
  const releaseTime = new Float64Array(catalog.count);
  for (let k = 0; k < catalog.count; k++) releaseTime[k] = catalog.years[k] > 0 ? Date.UTC(catalog.years[k], 0, 1) / 1000 : firstTimestamp;
  const { factors, bias, movieIds } = catalog;
  let written = 0;
  let reported = 0;
  for (let u = 0; u < activity.length; u++) {
    const count = activity[u];
    const favourites = favouriteNiches(rng, sampler);
    userTaste(catalog, favourites, rng, taste);
    const userBias = USER_BIAS_SD * rng.normal();
    const ratingStep = rng.next() < HALF_STAR_USERS ? 2 : 1;
    const tasteShare = TASTE_SHARE_MIN + TASTE_SHARE_SPREAD * rng.next();
    sampler.drawDistinct(count, favourites, tasteShare, rng, chosen);
    const [start, span] = activeWindow(count, firstTimestamp, lastTimestamp, rng);
    const userId = u + 1;
    for (let n = 0; n < count; n++) {
      const k = chosen[n];
      let affinity = 0;
      for (let d = 0; d < LATENT_DIMS; d++) affinity += taste[d] * factors[k * LATENT_DIMS + d];
      const raw = MEAN_RATING + userBias + bias[k] + affinity + NOISE_SD * rng.normal();
      const steps = Math.min(5 * ratingStep, Math.max(1, Math.round(raw * ratingStep)));
      let time = start + Math.floor(rng.next() * span);
      // Nobody rates a movie before its release year.
      if (time < releaseTime[k]) time = releaseTime[k] + Math.floor(rng.next() * (lastTimestamp - releaseTime[k]));
      perMovie[k]++;
      writer.uint(userId);
      writer.byte(COMMA);
      writer.uint(movieIds[k]);
      writer.byte(COMMA);
      writer.bytes(RATING_BYTES[(steps * 2) / ratingStep]);
      writer.byte(COMMA);
      writer.uint(time);
      writer.byte(LINE_FEED);
    }
    written += count;
    if (written - reported >= 1 << 16) {
      reported = written;
      onProgress(written);
    }
  }
  onProgress(written);
  return perMovie;
}

/** One to four niches the user is a fan of. */
function favouriteNiches(rng: Random, sampler: MovieSampler): number[] {
  const wanted = 1 + rng.int(4);
  const favourites: number[] = [];
  for (let tries = 0; favourites.length < wanted && tries < 20; tries++) {
    const niche = sampler.drawNiche(rng);
    if (!favourites.includes(niche)) favourites.push(niche);
  }
  return favourites;
}

/** The user's factors: their niches' centres plus an individual part, on the item factors' scale. */
function userTaste(catalog: SyntheticCatalog, favourites: readonly number[], rng: Random, out: Float64Array): void {
  out.fill(0);
  for (const n of favourites) for (let d = 0; d < LATENT_DIMS; d++) out[d] += catalog.nicheCentres[n * LATENT_DIMS + d];
  const scale = 0.8 / Math.sqrt(favourites.length);
  for (let d = 0; d < LATENT_DIMS; d++) out[d] = (out[d] * scale + 0.6 * rng.normal()) / Math.sqrt(LATENT_DIMS);
}

/** When a user rates: many in one sitting (about a minute a rating), the rest over days to years. */
function activeWindow(count: number, first: number, last: number, rng: Random): [start: number, span: number] {
  const range = last - first;
  const span = rng.next() < 0.45
    ? Math.min(range, Math.ceil(count * 60 * (0.5 + rng.next() * 1.5)))
    : Math.min(range, Math.ceil(86400 * Math.exp(Math.log(30) + 1.6 * rng.normal())));
  return [first + Math.floor(rng.next() * (range - span)), Math.max(1, span)];
}
