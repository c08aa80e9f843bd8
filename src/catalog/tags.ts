import { existsSync } from 'node:fs';
import { readCsvFile } from './csv.js';
import { parseId } from './fields.js';

const TAGS_HEADER = ['userId', 'movieId', 'tag', 'timestamp'];

/** Tags kept per movie: the movie page shows a line of them, not the long tail. */
export const TAGS_PER_MOVIE = 10;

/**
 * MovieLens tags.csv: each movie's most frequent tags (told apart case-insensitively, most frequent first, ties in the
 * order first seen), spelt as first seen. An empty map when the file is absent (older datasets have none).
 */
export async function loadTagsCsv(path: string, perMovie = TAGS_PER_MOVIE): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  if (!existsSync(path)) return out;
  const table = await readCsvFile(path, TAGS_HEADER);
  const counts = new Map<number, Map<string, { text: string; count: number }>>();
  for (const { line, fields } of table.rows) {
    const movieId = parseId(fields[1], path, line, 'movieId');
    const text = fields[2].trim().replace(/\s+/g, ' ');
    if (text === '') continue;
    const key = text.toLowerCase();
    let own = counts.get(movieId);
    if (!own) counts.set(movieId, (own = new Map<string, { text: string; count: number }>()));
    const seen = own.get(key);
    if (seen) seen.count++;
    else own.set(key, { text, count: 1 });
  }
  for (const [movieId, own] of counts) {
    // A stable sort keeps equal counts in the order first seen.
    out.set(movieId, [...own.values()].sort((a, b) => b.count - a.count).slice(0, perMovie).map((t) => t.text));
  }
  return out;
}
