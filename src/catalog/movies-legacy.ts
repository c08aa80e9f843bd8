import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { decodeText } from './decode.js';
import { DataFormatError } from './errors.js';
import { nonBlankLines, parseId } from './fields.js';
import { splitGenres, splitTitleYear } from './title.js';
import type { Movie } from './types.js';

/** ml-100k's genre columns, in u.item's order, for when u.genre is absent. */
export const ML100K_GENRES: readonly string[] = [
  'unknown', 'Action', 'Adventure', 'Animation', "Children's", 'Comedy', 'Crime', 'Documentary', 'Drama', 'Fantasy',
  'Film-Noir', 'Horror', 'Musical', 'Mystery', 'Romance', 'Sci-Fi', 'Thriller', 'War', 'Western',
];

/** ml-1m movies.dat ("MovieID::Title::Genres", Latin-1), sorted by id; these files carry no IMDb/TMDB links. */
export async function loadMoviesDat(path: string): Promise<Movie[]> {
  const movies: Movie[] = [];
  const seen = new Set<number>();
  for (const { line, text } of nonBlankLines(decodeText(await readFile(path)))) {
    const fields = text.split('::');
    if (fields.length !== 3) throw new DataFormatError(path, line, `expected 3 fields separated by "::", found ${fields.length}`);
    const { title, alternativeTitles, year } = splitTitleYear(fields[1]);
    const id = checkNew(seen, parseId(fields[0], path, line, 'MovieID'), path, line);
    movies.push({ id, title, alternativeTitles, year, genres: splitGenres(fields[2]), imdbId: null, tmdbId: null });
  }
  return movies.sort((a, b) => a.id - b.id);
}

/**
 * ml-100k u.item ("id|title|release date|video release date|IMDb URL|19 genre flags", Latin-1), sorted by id.
 * Genre names come from u.genre when its path is given and exists, else the fixed ml-100k list; "unknown" is no genre.
 */
export async function loadMoviesItem(path: string, genrePath?: string): Promise<Movie[]> {
  const genres = genrePath !== undefined && existsSync(genrePath) ? await loadGenreNames(genrePath) : ML100K_GENRES;
  const movies: Movie[] = [];
  const seen = new Set<number>();
  for (const { line, text } of nonBlankLines(decodeText(await readFile(path)))) {
    const fields = text.split('|');
    if (fields.length !== 5 + genres.length) {
      throw new DataFormatError(path, line, `expected ${5 + genres.length} fields separated by "|", found ${fields.length}`);
    }
    const id = checkNew(seen, parseId(fields[0], path, line, 'movie id'), path, line);
    const split = splitTitleYear(fields[1]);
    const released = /(\d{4})$/.exec(fields[2].trim());
    const movieGenres: string[] = [];
    for (let g = 0; g < genres.length; g++) {
      const flag = fields[5 + g].trim();
      if (flag !== '0' && flag !== '1') throw new DataFormatError(path, line, `genre flag ${g + 1} must be 0 or 1, found "${flag}"`);
      if (flag === '1' && genres[g] !== 'unknown') movieGenres.push(genres[g]);
    }
    const year = split.year ?? (released ? Number(released[1]) : null);
    movies.push({ id, title: split.title, alternativeTitles: split.alternativeTitles, year, genres: movieGenres, imdbId: null, tmdbId: null });
  }
  return movies.sort((a, b) => a.id - b.id);
}

/** u.genre: "name|index" lines; the names in index order. */
async function loadGenreNames(path: string): Promise<string[]> {
  const names: string[] = [];
  for (const { line, text } of nonBlankLines(decodeText(await readFile(path)))) {
    const fields = text.split('|');
    if (fields.length !== 2) throw new DataFormatError(path, line, `expected "name|index", found "${text}"`);
    const index = parseId(fields[1], path, line, 'genre index');
    if (index !== names.length) throw new DataFormatError(path, line, `expected genre index ${names.length}, found ${index}`);
    names.push(fields[0]);
  }
  return names;
}

function checkNew(seen: Set<number>, id: number, path: string, line: number): number {
  if (seen.has(id)) throw new DataFormatError(path, line, `movie id ${id} appears twice`);
  seen.add(id);
  return id;
}
