/**
 * The picker's poster grid: groups of well-known movies to choose from without typing. "Popular now" holds the most
 * rated; every other rated movie goes to one genre row, its most specific genre (Animation before Comedy, Comedy before
 * Drama), so no movie shows twice. Each group is paged (a page is one row of posters). No HTTP here.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { MovieCard, Movies } from './movies.js';

/** Posters per page of a group. */
export const GROUP_PAGE_SIZE = 12;
/** Movies in "Popular now" (pages of it); the rest go to the genre rows. */
const POPULAR_COUNT = 36;
/** Movies with fewer ratings than this are too obscure for a grid of the well-known. */
const MIN_RATINGS = 10;
/** Genre rows in the order shown. */
const GENRE_ROWS = ['Comedy', 'Drama', 'Action', 'Thriller', 'Sci-Fi', 'Romance', 'Crime', 'Animation', 'Horror', 'Adventure', 'Fantasy', 'War'];
/** Which row a movie of several genres goes to: the first of its genres here (the most telling). */
const GENRE_PRIORITY = ['Animation', 'Horror', 'Sci-Fi', 'War', 'Fantasy', 'Crime', 'Romance', 'Thriller', 'Action', 'Adventure', 'Comedy', 'Drama'];

export interface PickerGroup {
  /** In URLs and element ids: "popular", "sci-fi". */
  readonly slug: string;
  readonly name: string;
  /** The movies of pages 1..page. */
  readonly movies: MovieCard[];
  /** Pages shown. */
  readonly page: number;
  /** Whether a next page exists. */
  readonly more: boolean;
}

export interface PickerGroups {
  /** Every group at its first page, except `open` shown up to its page `page`. */
  all(open?: { slug: string; page: number }): PickerGroup[];
  /** One page of one group (the movies of that page only), or null for an unknown group or a page past its end. */
  page(slug: string, page: number): PickerGroup | null;
  readonly slugs: readonly string[];
}

export function slugOf(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

export function createPickerGroups(catalog: Pick<Catalog, 'movies' | 'popularity'>, movies: Pick<Movies, 'cards'>): PickerGroups {
  const ranked = catalog.movies
    .filter((m) => catalog.popularity(m.id) >= MIN_RATINGS)
    .sort((a, b) => catalog.popularity(b.id) - catalog.popularity(a.id) || a.id - b.id);
  const lists = new Map<string, { name: string; ids: number[] }>([['popular', { name: 'Popular now', ids: [] }]]);
  for (const genre of GENRE_ROWS) lists.set(slugOf(genre), { name: genre, ids: [] });
  for (const movie of ranked) {
    const popular = lists.get('popular')!;
    if (popular.ids.length < POPULAR_COUNT) {
      popular.ids.push(movie.id);
      continue;
    }
    const genre = GENRE_PRIORITY.find((g) => movie.genres.includes(g));
    if (genre) lists.get(slugOf(genre))!.ids.push(movie.id);
  }
  const slugs = [...lists.keys()];
  const pageCount = (ids: number[]) => Math.ceil(ids.length / GROUP_PAGE_SIZE);

  const upTo = (slug: string, page: number): PickerGroup => {
    const { name, ids } = lists.get(slug)!;
    const shown = Math.min(Math.max(1, page), pageCount(ids));
    return { slug, name, movies: movies.cards(ids.slice(0, shown * GROUP_PAGE_SIZE)), page: shown, more: shown < pageCount(ids) };
  };

  return {
    slugs,
    all(open) {
      return slugs.map((slug) => upTo(slug, open && open.slug === slug ? open.page : 1));
    },
    page(slug, page) {
      const list = lists.get(slug);
      if (!list || page < 1 || page > pageCount(list.ids)) return null;
      const ids = list.ids.slice((page - 1) * GROUP_PAGE_SIZE, page * GROUP_PAGE_SIZE);
      return { slug, name: list.name, movies: movies.cards(ids), page, more: page < pageCount(list.ids) };
    },
  };
}
