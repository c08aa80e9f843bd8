/** How big a synthetic MovieLens folder is. */
export interface SyntheticShape {
  readonly users: number;
  /** Rows of movies.csv; a few in the far tail may get no rating, as in MovieLens. */
  readonly movies: number;
  readonly ratings: number;
}

/** The sizes of the real datasets the presets imitate. */
export const PRESETS = {
  'ml-latest-small': { users: 610, movies: 9_742, ratings: 100_836 },
  'ml-25m': { users: 162_541, movies: 59_047, ratings: 25_000_095 },
} as const satisfies Record<string, SyntheticShape>;

export type PresetName = keyof typeof PRESETS;

export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(PRESETS, name);
}

/** MovieLens keeps only users with at least 20 ratings. */
export const MIN_RATINGS_PER_USER = 20;

/** The most ratings one user may have: MovieLens's heaviest raters cover about half the catalog. */
export function maxRatingsPerUser(shape: SyntheticShape): number {
  const usual = Math.max(MIN_RATINGS_PER_USER, Math.floor(shape.movies * 0.6));
  return shape.ratings > usual * shape.users ? shape.movies : usual;
}

/** Why a shape cannot be generated, or null when it can. */
export function shapeProblem(shape: SyntheticShape): string | null {
  for (const key of ['users', 'movies', 'ratings'] as const) {
    const value = shape[key];
    if (!Number.isSafeInteger(value) || value < 1) return `--${key} must be a positive integer, got ${value}`;
  }
  if (shape.movies < MIN_RATINGS_PER_USER) return `--movies must be at least ${MIN_RATINGS_PER_USER} (each user rates ≥ ${MIN_RATINGS_PER_USER} distinct movies), got ${shape.movies}`;
  if (shape.ratings < shape.users * MIN_RATINGS_PER_USER) {
    return `--ratings must be at least --users × ${MIN_RATINGS_PER_USER} = ${shape.users * MIN_RATINGS_PER_USER}, got ${shape.ratings}`;
  }
  if (shape.ratings > shape.users * shape.movies) {
    return `--ratings must be at most --users × --movies = ${shape.users * shape.movies} (each pair at most once), got ${shape.ratings}`;
  }
  if (shape.ratings > 2 ** 31 - 1) return `--ratings must be below 2^31, got ${shape.ratings}`;
  return null;
}
