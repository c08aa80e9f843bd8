/** Movies for both front ends: title search for the picker, one movie by id, and cards for ids. No HTTP here. */
import { movieCard, type Catalog, type MovieCard } from '../catalog/catalog.js';
import { NotFoundError, ValidationError } from './errors.js';
import { movieIdText, searchInput } from './movies-input.js';

export type { MovieCard } from '../catalog/catalog.js';

export interface Movies {
  /** Up to `limit` (1–50, default 10) movies matching `q`, best first; an empty `q` finds nothing. ValidationError on bad input. */
  search(input: unknown): MovieCard[];
  /** One movie by its id given as text (a path segment); ValidationError for a malformed id, NotFoundError when unknown. */
  get(idText: unknown): MovieCard;
  /** The card of a movie id, or null when the catalog does not have it. */
  card(id: number): MovieCard | null;
  /** Cards of the ids the catalog knows, in order; unknown ids are skipped. */
  cards(ids: readonly number[]): MovieCard[];
  /** Whether the catalog has this id. */
  has(id: number): boolean;
}

export function createMovies(catalog: Catalog): Movies {
  const card = (id: number): MovieCard | null => {
    const movie = catalog.get(id);
    return movie ? movieCard(movie) : null;
  };

  return {
    search(input) {
      const parsed = searchInput.safeParse(input ?? {});
      if (!parsed.success) throw ValidationError.fromZod(parsed.error);
      const { q, limit } = parsed.data;
      if (q.trim() === '') return [];
      return catalog.search(q, limit).map(movieCard);
    },

    get(idText) {
      const parsed = movieIdText.safeParse(idText);
      if (!parsed.success) throw new ValidationError([{ field: 'id', message: parsed.error.issues[0].message }]);
      const found = card(parsed.data);
      if (!found) throw new NotFoundError(`There is no movie with id ${parsed.data}.`);
      return found;
    },

    card,

    cards(ids) {
      const out: MovieCard[] = [];
      for (const id of ids) {
        const found = card(id);
        if (found) out.push(found);
      }
      return out;
    },

    has: (id) => catalog.has(id),
  };
}
