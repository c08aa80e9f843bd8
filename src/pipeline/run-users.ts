/**
 * The users of a new run as the run folder carries them (docs/run-folder.md): each claimed user's picks, plus from their
 * reactions the movies seen (rated with their stars, or SEEN_RATING) and those not wanted (excluded). A reaction to a
 * picked movie is left out: the pick says more. The watchlist is not trained.
 */
import type { ClaimedUser, Reaction, Store } from '../store/index.js';
import type { RatedMovie, RunUser } from './run-folder.js';
import { SEEN_RATING } from './run-params.js';

export function runUserOf(claimed: ClaimedUser, reactions: readonly Reaction[]): RunUser {
  const picked = new Set(claimed.movieIds);
  const rated: RatedMovie[] = [];
  const excluded: number[] = [];
  // Oldest first, so a user's file reads in the order they reacted.
  for (const r of [...reactions].reverse()) {
    if (picked.has(r.movieId)) continue;
    if (r.kind === 'seen') rated.push({ movie: r.movieId, rating: r.rating ?? SEEN_RATING });
    else if (r.kind === 'not_interested') excluded.push(r.movieId);
  }
  return {
    user: claimed.userId,
    movies: claimed.movieIds,
    ...(rated.length > 0 ? { rated } : {}),
    ...(excluded.length > 0 ? { excluded } : {}),
  };
}

/** The claimed users with their reactions read now (a later reaction sends the user back to pending, so none is lost). */
export async function runUsersOf(store: Store, claimed: readonly ClaimedUser[]): Promise<RunUser[]> {
  return Promise.all(claimed.map(async (c) => runUserOf(c, await store.listReactions(c.userId))));
}
