/**
 * Which poster each movie card shows. Without a TMDB key: the generated one (/posters/<id>.svg). With a key: TMDB's
 * image when the store has its path cached, else the generated one while a look-up is queued in the background.
 * "No poster at TMDB" is remembered too, and asked again only after NO_POSTER_RECHECK_MS. A page never waits for
 * TMDB, and a store that fails only costs it the cached images.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { MAX_POSTER_IDS, type PosterRecord, type Store } from '../store/index.js';
import { createPosterQueue, type PosterQueue } from './poster-queue.js';
import { createTmdbClient, type TmdbClient } from './tmdb-client.js';

/** Poster URL of a movie id, for the movie-card partial. */
export type PosterUrlOf = (movieId: number) => string;

export interface Posters {
  /** Whether TMDB images may appear (a key is configured): the CSP then allows TMDB's image host. */
  readonly usesTmdb: boolean;
  /** The poster URL of each of these movies (cached lookups at most, never TMDB); queues look-ups for the rest. */
  urlsFor(movieIds: readonly number[]): Promise<PosterUrlOf>;
  /** Queues look-ups for these movies (e.g. the most popular, at start-up) unless cached. */
  warm(movieIds: readonly number[]): Promise<void>;
  /** Resolves when no look-up is waiting or running (tests). */
  idle(): Promise<void>;
  /** Stops the background look-ups. */
  stop(): Promise<void>;
}

export interface PostersDeps {
  readonly config: Pick<Config, 'TMDB_API_KEY' | 'TMDB_API_URL' | 'TMDB_IMAGE_URL'>;
  readonly store: Pick<Store, 'getPosters' | 'savePoster'>;
  readonly catalog: Pick<Catalog, 'get'>;
  readonly logger: Logger;
  /** Default: the real TMDB client from the config. */
  readonly client?: TmdbClient;
  readonly queue?: { concurrency?: number; maxQueued?: number; failureCooldownMs?: number };
  readonly now?: () => number;
}

export const NO_POSTER_RECHECK_MS = 30 * 24 * 3_600_000;
/** Records kept in memory in front of the store (a few MB at most). */
const MEMORY_LIMIT = 20_000;

export const generatedPosterUrl = (movieId: number): string => `/posters/${movieId}.svg`;

/** The origin of TMDB's images for the CSP's img-src, or null without a key. */
export function tmdbImageOrigin(config: Pick<Config, 'TMDB_API_KEY' | 'TMDB_IMAGE_URL'>): string | null {
  return config.TMDB_API_KEY ? new URL(config.TMDB_IMAGE_URL).origin : null;
}

export function createPosters(deps: PostersDeps): Posters {
  const { config, store, catalog, logger } = deps;
  const apiKey = config.TMDB_API_KEY;
  if (!apiKey) {
    return {
      usesTmdb: false,
      urlsFor: async () => generatedPosterUrl,
      warm: async () => {},
      idle: async () => {},
      stop: async () => {},
    };
  }

  const now = deps.now ?? Date.now;
  const imageBase = config.TMDB_IMAGE_URL.replace(/\/+$/, '');
  const log = logger.child({ part: 'posters' });
  const memory = new Map<number, PosterRecord>();
  const remember = (record: PosterRecord) => {
    memory.delete(record.movieId);
    memory.set(record.movieId, record);
    if (memory.size > MEMORY_LIMIT) memory.delete(memory.keys().next().value!);
  };
  const client = deps.client ?? createTmdbClient({ apiUrl: config.TMDB_API_URL, apiKey });
  const queue: PosterQueue = createPosterQueue({ client, store, logger: log, onSaved: remember, now, ...deps.queue });

  /** The cached record of each id (memory, then the store in chunks); null when the store fails. */
  async function records(ids: readonly number[]): Promise<Map<number, PosterRecord> | null> {
    const found = new Map<number, PosterRecord>();
    const missing: number[] = [];
    for (const id of ids) {
      const hit = memory.get(id);
      if (hit) found.set(id, hit);
      else missing.push(id);
    }
    try {
      for (let i = 0; i < missing.length; i += MAX_POSTER_IDS) {
        for (const [id, record] of await store.getPosters(missing.slice(i, i + MAX_POSTER_IDS))) {
          remember(record);
          found.set(id, record);
        }
      }
    } catch (err) {
      log.warn({ err }, 'cached posters unavailable: generated posters for now');
      return null;
    }
    return found;
  }

  /** Queues a look-up when the movie has a TMDB id and nothing fresh is cached. */
  const lookUpIfNeeded = (id: number, record: PosterRecord | undefined) => {
    if (record && (record.path !== null || now() - record.checkedAt < NO_POSTER_RECHECK_MS)) return;
    const tmdbId = catalog.get(id)?.tmdbId;
    if (tmdbId) queue.enqueue({ movieId: id, tmdbId });
  };

  /** Only catalog movies with a TMDB id can have a TMDB poster. */
  const lookable = (ids: readonly number[]) => [...new Set(ids)].filter((id) => catalog.get(id)?.tmdbId);

  return {
    usesTmdb: true,
    async urlsFor(movieIds) {
      const ids = lookable(movieIds);
      // A failing store: generated posters, and no look-ups whose results could not be kept anyway.
      const cached = await records(ids);
      if (cached) for (const id of ids) lookUpIfNeeded(id, cached.get(id));
      return (movieId) => {
        const path = cached?.get(movieId)?.path;
        return path ? `${imageBase}${path}` : generatedPosterUrl(movieId);
      };
    },
    async warm(movieIds) {
      const ids = lookable(movieIds);
      const cached = await records(ids);
      if (cached) for (const id of ids) lookUpIfNeeded(id, cached.get(id));
    },
    idle: () => queue.idle(),
    stop: () => queue.stop(),
  };
}

/** The `count` most-rated movies of the catalog that have a TMDB id: what to warm the cache with at start-up. */
export function mostPopularWithTmdb(catalog: Pick<Catalog, 'movies' | 'popularity'>, count: number): number[] {
  return catalog.movies
    .filter((m) => m.tmdbId !== null && catalog.popularity(m.id) > 0)
    .sort((a, b) => catalog.popularity(b.id) - catalog.popularity(a.id) || a.id - b.id)
    .slice(0, count)
    .map((m) => m.id);
}
