import { existsSync } from 'node:fs';
import { readCsvFile } from './csv.js';
import { DataFormatError } from './errors.js';
import { parseId } from './fields.js';
import { splitGenres, splitTitleYear } from './title.js';
import type { Movie } from './types.js';

const MOVIES_HEADER = ['movieId', 'title', 'genres'];
const LINKS_HEADER = ['movieId', 'imdbId', 'tmdbId'];

/** ml-latest movies.csv joined with links.csv (when the path is given and exists), sorted by id. */
export async function loadMoviesCsv(moviesPath: string, linksPath?: string): Promise<Movie[]> {
  const table = await readCsvFile(moviesPath, MOVIES_HEADER);
  const links = linksPath !== undefined && existsSync(linksPath) ? await loadLinks(linksPath) : new Map<number, Link>();
  const seen = new Set<number>();
  const movies: Movie[] = [];
  for (const { line, fields } of table.rows) {
    const id = parseId(fields[0], moviesPath, line, 'movieId');
    if (seen.has(id)) throw new DataFormatError(moviesPath, line, `movieId ${id} appears twice`);
    seen.add(id);
    const { title, alternativeTitles, year } = splitTitleYear(fields[1]);
    const link = links.get(id);
    movies.push({ id, title, alternativeTitles, year, genres: splitGenres(fields[2]), imdbId: link?.imdbId ?? null, tmdbId: link?.tmdbId ?? null });
  }
  for (const [id, link] of links) {
    if (!seen.has(id)) throw new DataFormatError(linksPath ?? '', link.line, `movieId ${id} is not in ${moviesPath}`);
  }
  return movies.sort((a, b) => a.id - b.id);
}

interface Link {
  readonly imdbId: string | null;
  readonly tmdbId: number | null;
  readonly line: number;
}

async function loadLinks(path: string): Promise<Map<number, Link>> {
  const table = await readCsvFile(path, LINKS_HEADER);
  const links = new Map<number, Link>();
  for (const { line, fields } of table.rows) {
    const id = parseId(fields[0], path, line, 'movieId');
    if (links.has(id)) throw new DataFormatError(path, line, `movieId ${id} appears twice`);
    links.set(id, { imdbId: parseImdbId(fields[1], path, line), tmdbId: fields[2] === '' ? null : parseId(fields[2], path, line, 'tmdbId'), line });
  }
  return links;
}

/** MovieLens writes IMDb ids as zero-padded digits ("0114709" for tt0114709); keep that 7+ digit form. */
function parseImdbId(text: string, file: string, line: number): string | null {
  if (text === '') return null;
  const digits = text.startsWith('tt') ? text.slice(2) : text;
  if (!/^\d{1,10}$/.test(digits)) throw new DataFormatError(file, line, `imdbId must be digits, found "${text}"`);
  return digits.padStart(7, '0');
}
