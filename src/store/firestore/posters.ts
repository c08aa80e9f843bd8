/** The poster cache: one document per movie (`posters/{movieId}`), read many at a time with one batched get. */
import type { PosterRecord } from '../store.js';
import type { Db } from './context.js';
import { toPoster } from './documents.js';
import type { PosterDoc } from './documents.js';

/** The records of these (distinct, at most MAX_POSTER_IDS) ids that exist; one BatchGetDocuments call. */
export async function getPosters(db: Db, movieIds: readonly number[]): Promise<Map<number, PosterRecord>> {
  const found = new Map<number, PosterRecord>();
  if (movieIds.length === 0) return found;
  const snaps = await db.firestore.getAll(...movieIds.map((id) => db.cols.posters.doc(String(id))));
  for (const snap of snaps) {
    if (!snap.exists) continue;
    const poster = toPoster(snap.data() as PosterDoc);
    found.set(poster.movieId, poster);
  }
  return found;
}

/** Creates or replaces the record (last write wins). */
export async function savePoster(db: Db, record: PosterRecord): Promise<void> {
  const doc: PosterDoc = { movieId: record.movieId, path: record.path, checkedAt: record.checkedAt };
  await db.cols.posters.doc(String(record.movieId)).set(doc);
}
