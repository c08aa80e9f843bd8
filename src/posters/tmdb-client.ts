/**
 * TMDB's movie details endpoint, for one thing: a movie's poster_path. GET {apiUrl}/movie/{tmdbId}?api_key=KEY,
 * bounded by a timeout. The key is only ever in the request URL: no error message, log line or page contains it
 * (errors name the TMDB id and the status, never the URL).
 */

/** What TMDB says about a movie's poster: its path (under TMDB_IMAGE_URL), or that it has none (404 or null). */
export type TmdbPoster = { readonly kind: 'found'; readonly path: string } | { readonly kind: 'none' };

export interface TmdbClient {
  posterPath(tmdbId: number): Promise<TmdbPoster>;
}

/** TMDB asked us to slow down (429): try again after retryAfterMs. */
export class TmdbRateLimitError extends Error {
  override name = 'TmdbRateLimitError';
  constructor(readonly retryAfterMs: number) {
    super(`TMDB is rate limiting: retry after ${Math.round(retryAfterMs / 1000)} s`);
  }
}

/** Any other failure: a timeout, no connection, an unexpected status or body. `status` when TMDB answered. */
export class TmdbError extends Error {
  override name = 'TmdbError';
  constructor(message: string, readonly status: number | null = null) {
    super(message);
  }
}

export interface TmdbClientOptions {
  /** TMDB_API_URL, e.g. https://api.themoviedb.org/3 */
  readonly apiUrl: string;
  readonly apiKey: string;
  /** Per request, connection to body; default 5 s. */
  readonly timeoutMs?: number;
  /** Tests may stub it; the global fetch otherwise. */
  readonly fetch?: typeof fetch;
}

export const DEFAULT_TMDB_TIMEOUT_MS = 5000;
/** Without a usable Retry-After, and the bounds on one that is given. */
const DEFAULT_RETRY_AFTER_MS = 10_000;
const MIN_RETRY_AFTER_MS = 1000;
const MAX_RETRY_AFTER_MS = 10 * 60_000;
/** A movie's details are a few kilobytes; anything much bigger is not what we asked for. */
const MAX_BODY_BYTES = 1_000_000;
/** TMDB poster paths look like "/kqjL17yufvn9OVLyXYpvtyrFfak.jpg". */
const POSTER_PATH = /^\/[A-Za-z0-9._-]{1,200}$/;

export function createTmdbClient(options: TmdbClientOptions): TmdbClient {
  const base = options.apiUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TMDB_TIMEOUT_MS;
  const doFetch = options.fetch ?? fetch;

  return {
    async posterPath(tmdbId) {
      if (!Number.isSafeInteger(tmdbId) || tmdbId <= 0) throw new TmdbError(`not a TMDB id: ${String(tmdbId)}`);
      const url = `${base}/movie/${tmdbId}?api_key=${encodeURIComponent(options.apiKey)}`;
      const signal = AbortSignal.timeout(timeoutMs);
      let response: Response;
      try {
        response = await doFetch(url, { signal, headers: { accept: 'application/json' }, redirect: 'error' });
      } catch (err) {
        throw requestError(err, tmdbId, timeoutMs);
      }
      try {
        if (response.status === 404) return { kind: 'none' };
        if (response.status === 429) throw new TmdbRateLimitError(retryAfterMs(response.headers.get('retry-after')));
        if (response.status === 401) throw new TmdbError('TMDB refused the API key (401)', 401);
        if (response.status !== 200) throw new TmdbError(`TMDB answered ${response.status} for movie ${tmdbId}`, response.status);
        let body: string;
        try {
          body = await response.text();
        } catch (err) {
          throw requestError(err, tmdbId, timeoutMs);
        }
        if (body.length > MAX_BODY_BYTES) throw new TmdbError(`TMDB's answer for movie ${tmdbId} is too large`, 200);
        return posterOf(body, tmdbId);
      } finally {
        // Nothing more is read; let the connection go.
        if (!response.bodyUsed) await response.body?.cancel().catch(() => undefined);
      }
    },
  };
}

function posterOf(body: string, tmdbId: number): TmdbPoster {
  let details: unknown;
  try {
    details = JSON.parse(body);
  } catch {
    throw new TmdbError(`TMDB's answer for movie ${tmdbId} is not JSON`, 200);
  }
  if (typeof details !== 'object' || details === null) throw new TmdbError(`TMDB's answer for movie ${tmdbId} is not an object`, 200);
  const path = (details as { poster_path?: unknown }).poster_path;
  if (path === null || path === undefined || path === '') return { kind: 'none' };
  if (typeof path !== 'string' || !POSTER_PATH.test(path)) throw new TmdbError(`TMDB's poster_path for movie ${tmdbId} is malformed`, 200);
  return { kind: 'found', path };
}

/** Retry-After as seconds or an HTTP date, kept within bounds. */
export function retryAfterMs(header: string | null, now = Date.now()): number {
  let ms = DEFAULT_RETRY_AFTER_MS;
  if (header !== null && /^\s*\d+\s*$/.test(header)) ms = Number(header) * 1000;
  else if (header !== null && !Number.isNaN(Date.parse(header))) ms = Date.parse(header) - now;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(MIN_RETRY_AFTER_MS, ms));
}

/** A fetch failure as a TmdbError whose message never includes the URL (the key is in it). */
function requestError(err: unknown, tmdbId: number, timeoutMs: number): TmdbError {
  const name = (err as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return new TmdbError(`TMDB did not answer within ${timeoutMs} ms (movie ${tmdbId})`);
  const code = (err as { cause?: { code?: unknown } } | null)?.cause?.code;
  return new TmdbError(`TMDB could not be reached${typeof code === 'string' ? ` (${code})` : ''} (movie ${tmdbId})`);
}
