/**
 * A poster drawn for a movie that has no TMDB poster (or when no TMDB key is configured): the title wrapped, the
 * year, the first genre and a colour per genre, white on a colour dark enough for it. A standalone SVG document.
 */
import { escapeXml, num } from '../svg/escape.js';
import { genreColour } from '../svg/genre-colours.js';
import { wrapText } from './wrap-text.js';

export interface PosterMovie {
  readonly title: string;
  readonly year: number | null;
  readonly genres: readonly string[];
}

export const POSTER_WIDTH = 200;
export const POSTER_HEIGHT = 300;

const MARGIN = 16;
const TITLE_TOP = 78;
const TITLE_BOTTOM = 236;
/** Bold sans-serif glyphs average about this many ems wide. */
const CHAR_EM = 0.62;
const TITLE_SIZES = [26, 22, 19, 16];
const NO_GENRE = '(no genres listed)';

export function generatedPosterSvg(movie: PosterMovie): string {
  const genre = movie.genres.find((g) => g !== NO_GENRE) ?? null;
  const colour = genreColour(genre);
  const { lines, size } = titleLines(movie.title);
  const lineHeight = size * 1.18;
  const label = movie.year === null ? movie.title : `${movie.title} (${movie.year})`;

  const title = lines
    .map((line, i) => `<tspan x="${MARGIN}" y="${num(TITLE_TOP + size + i * lineHeight)}">${escapeXml(line)}</tspan>`)
    .join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${POSTER_WIDTH} ${POSTER_HEIGHT}" width="${POSTER_WIDTH}" height="${POSTER_HEIGHT}">`,
    `<title>${escapeXml(label)}</title>`,
    `<rect width="${POSTER_WIDTH}" height="${POSTER_HEIGHT}" fill="${colour}"/>`,
    `<rect y="${POSTER_HEIGHT - 56}" width="${POSTER_WIDTH}" height="56" fill="#000000" fill-opacity="0.28"/>`,
    `<rect x="${MARGIN}" y="48" width="40" height="3" fill="#ffffff" fill-opacity="0.7"/>`,
    `<g fill="#ffffff" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif">`,
    genre === null ? '' : `<text x="${MARGIN}" y="36" font-size="13" font-weight="600" letter-spacing="1.2">${escapeXml(genre.toUpperCase())}</text>`,
    `<text font-size="${size}" font-weight="700">${title}</text>`,
    movie.year === null ? '' : `<text x="${MARGIN}" y="${POSTER_HEIGHT - 19}" font-size="26" font-weight="400">${movie.year}</text>`,
    '</g>',
    '</svg>',
  ].join('');
}

/**
 * The largest title size at which the whole title fits without breaking a word; else the largest at which it fits;
 * else the smallest, cut with "…".
 */
function titleLines(title: string): { lines: string[]; size: number } {
  const tries = TITLE_SIZES.map((size) => ({ size, wrapped: wrapText(title, fit(size)) }));
  const best = tries.find((t) => !t.wrapped.cut && !t.wrapped.broken) ?? tries.find((t) => !t.wrapped.cut);
  if (best) return { lines: best.wrapped.lines, size: best.size };
  const { size, wrapped } = tries[tries.length - 1];
  return { lines: wrapped.lines, size };
}

function fit(size: number) {
  return {
    perLine: Math.floor((POSTER_WIDTH - 2 * MARGIN) / (size * CHAR_EM)),
    maxLines: Math.floor((TITLE_BOTTOM - TITLE_TOP) / (size * 1.18)),
  };
}
