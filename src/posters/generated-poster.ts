/**
 * A poster drawn for a movie that has no TMDB poster (or when no TMDB key is configured). Its design comes from the
 * movie itself: a hash of the title and year picks the composition and varies the colours, the palette is drawn from
 * all of its genres' colours, the pattern and the type from its first genre. The title, the genres and the year are
 * white on a dark scrim, readable whatever the picture behind. A standalone SVG document.
 */
import { escapeXml, num } from '../svg/escape.js';
import { genreColour } from '../svg/genre-colours.js';
import { hexToHsl, hslToHex, type Hsl } from '../svg/hsl.js';
import { wrapText } from './wrap-text.js';

export interface PosterMovie {
  readonly title: string;
  readonly year: number | null;
  readonly genres: readonly string[];
}

export const POSTER_WIDTH = 200;
export const POSTER_HEIGHT = 300;

/** The compositions a title's hash chooses among. */
export const LAYOUTS = ['orb', 'bands', 'rings', 'horizon', 'mosaic', 'letter'] as const;
export type Layout = (typeof LAYOUTS)[number];
export type Motif = 'stars' | 'hatch' | 'waves' | 'zigzag' | 'confetti' | 'grain';

export interface PosterPalette {
  /** The darkest colour: the scrim under the text (white on it has a contrast ratio of 7 or more). */
  readonly deep: string;
  readonly base: string;
  readonly mid: string;
  readonly light: string;
  readonly accent: string;
}

export interface PosterDesign {
  readonly layout: Layout;
  readonly motif: Motif;
  readonly palette: PosterPalette;
  /** Drama, romance, war and the like get a serif title; the loud genres an upper-case one. */
  readonly type: 'sans' | 'serif' | 'caps';
  /** Where the title block sits. */
  readonly titleAt: 'top' | 'bottom';
}

const NO_GENRE = '(no genres listed)';
const MARGIN = 16;
const SANS = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
const SERIF = "Georgia, 'Times New Roman', serif";
/** The title block's height; long titles get smaller type within it. */
const TITLE_ZONE = 112;

const MOTIFS: Readonly<Record<string, Motif>> = {
  'Sci-Fi': 'stars', Fantasy: 'stars', Animation: 'confetti', Children: 'confetti', "Children's": 'confetti', Comedy: 'confetti',
  Musical: 'waves', Romance: 'waves', Drama: 'waves', Documentary: 'grain', IMAX: 'stars',
  Crime: 'hatch', Thriller: 'hatch', Mystery: 'hatch', 'Film-Noir': 'hatch', Horror: 'hatch',
  Action: 'zigzag', Adventure: 'zigzag', War: 'zigzag', Western: 'zigzag',
};
const SERIF_GENRES = new Set(['Drama', 'Romance', 'War', 'Film-Noir', 'Documentary', 'Musical', 'Mystery']);
const CAPS_GENRES = new Set(['Action', 'Thriller', 'Horror', 'Sci-Fi', 'Western', 'Crime']);

/** Everything about a movie's poster that is chosen rather than given: pure, so the same movie always looks the same. */
export function posterDesign(movie: PosterMovie): PosterDesign {
  const genres = realGenres(movie.genres);
  const random = seeded(hash(`${movie.title}\u0000${movie.year ?? ''}`));
  const layout = LAYOUTS[Math.floor(random() * LAYOUTS.length)];
  const palette = paletteOf(genres, random);
  const first = genres[0];
  const motif = (first && MOTIFS[first]) || (['stars', 'hatch', 'waves', 'zigzag', 'confetti', 'grain'] as const)[Math.floor(random() * 6)];
  const type = first && SERIF_GENRES.has(first) ? 'serif' : first && CAPS_GENRES.has(first) ? 'caps' : 'sans';
  const titleAt = layout === 'horizon' || (layout === 'letter' && random() < 0.5) ? 'top' : 'bottom';
  return { layout, motif, palette, type, titleAt };
}

export function generatedPosterSvg(movie: PosterMovie): string {
  const design = posterDesign(movie);
  const random = seeded(hash(`art\u0000${movie.title}\u0000${movie.year ?? ''}`));
  const genres = realGenres(movie.genres);
  const label = movie.year === null ? movie.title : `${movie.title} (${movie.year})`;
  const { palette: p } = design;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${POSTER_WIDTH} ${POSTER_HEIGHT}" width="${POSTER_WIDTH}" height="${POSTER_HEIGHT}">`,
    `<title>${escapeXml(label)}</title>`,
    '<defs>',
    `<linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${p.base}"/><stop offset="1" stop-color="${p.deep}"/></linearGradient>`,
    scrimGradient(design),
    motifPattern(design.motif, p),
    '</defs>',
    `<rect width="${POSTER_WIDTH}" height="${POSTER_HEIGHT}" fill="url(#sky)"/>`,
    artwork(design, movie.title, random),
    `<rect width="${POSTER_WIDTH}" height="${POSTER_HEIGHT}" fill="url(#motif)" opacity="0.55"/>`,
    `<rect width="${POSTER_WIDTH}" height="${POSTER_HEIGHT}" fill="url(#scrim)"/>`,
    textBlock(design, movie, genres),
    '</svg>',
  ].join('');
}

/** Genres, the most telling first (MovieLens lists them alphabetically, which would make every cartoon an "Adventure"). */
const TELLING = ['Animation', 'Documentary', 'Film-Noir', 'Horror', 'Western', 'Musical', 'War', 'Sci-Fi', 'Fantasy', 'Children', "Children's",
  'Mystery', 'Romance', 'Crime', 'Thriller', 'Comedy', 'Action', 'Adventure', 'Drama', 'IMAX'];

function realGenres(genres: readonly string[]): string[] {
  const rank = (g: string) => (TELLING.includes(g) ? TELLING.indexOf(g) : TELLING.length);
  return genres.filter((g) => g !== NO_GENRE && g.trim() !== '').sort((a, b) => rank(a) - rank(b));
}

/**
 * Five colours from all the genres (the first gives the ground, the second the middle tones, the third the light
 * ones; fewer genres lend neighbouring hues), each hue nudged by the title's hash so that two dramas differ.
 */
function paletteOf(genres: readonly string[], random: () => number): PosterPalette {
  // The ground is one of the three most telling genres, the hash says which; the others give the middle and light tones.
  const g = Math.floor(random() * Math.min(3, genres.length));
  const ordered = [...genres.slice(g, g + 1), ...genres.slice(0, g), ...genres.slice(g + 1)];
  const hues: Hsl[] = ordered.length > 0 ? ordered.slice(0, 3).map((g) => hexToHsl(genreColour(g))) : [{ h: random() * 360, s: 0.35, l: 0.4 }];
  const shift = (random() - 0.5) * 60;
  const first = hues[0];
  const second = hues[1] ?? { ...first, h: first.h + 25 + random() * 50 };
  const third = hues[2] ?? { ...second, h: second.h - 20 - random() * 40 };
  const sat = (s: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, s));
  return {
    deep: hslToHex({ h: first.h + shift, s: sat(first.s, 0.3, 0.6), l: 0.1 + random() * 0.04 }),
    base: hslToHex({ h: first.h + shift, s: sat(first.s, 0.45, 0.8), l: 0.3 + random() * 0.08 }),
    mid: hslToHex({ h: second.h + shift, s: sat(second.s, 0.5, 0.85), l: 0.42 + random() * 0.1 }),
    light: hslToHex({ h: third.h + shift, s: sat(third.s, 0.5, 0.85), l: 0.68 + random() * 0.1 }),
    accent: hslToHex({ h: (second.h + 150 + random() * 60) % 360, s: 0.75, l: 0.6 }),
  };
}

/** The dark fade the text sits on: opaque enough under the title block, clear over the picture. */
function scrimGradient({ titleAt, palette }: PosterDesign): string {
  const stops =
    titleAt === 'bottom'
      ? [[0.15, 0], [0.4, 0.85], [0.55, 0.93], [1, 0.96]]
      : [[0, 0.96], [0.5, 0.9], [0.62, 0.5], [0.74, 0], [0.84, 0], [1, 0.75]];
  return `<linearGradient id="scrim" x1="0" y1="0" x2="0" y2="1">${stops
    .map(([offset, opacity]) => `<stop offset="${offset}" stop-color="${palette.deep}" stop-opacity="${opacity}"/>`)
    .join('')}</linearGradient>`;
}

function motifPattern(motif: Motif, p: PosterPalette): string {
  const open = (w: number, h: number) => `<pattern id="motif" width="${w}" height="${h}" patternUnits="userSpaceOnUse">`;
  switch (motif) {
    case 'stars':
      return `${open(23, 19)}<circle cx="4" cy="5" r="1.1" fill="#ffffff" opacity="0.7"/><circle cx="16" cy="13" r="0.7" fill="#ffffff" opacity="0.5"/></pattern>`;
    case 'hatch':
      return `${open(7, 7)}<path d="M-1 8 L8 -1" stroke="#000000" stroke-width="1.4" opacity="0.35"/></pattern>`;
    case 'waves':
      return `${open(28, 14)}<path d="M0 7 Q7 1 14 7 T28 7" fill="none" stroke="${p.light}" stroke-width="1.2" opacity="0.45"/></pattern>`;
    case 'zigzag':
      return `${open(18, 12)}<path d="M0 9 L4.5 3 L9 9 L13.5 3 L18 9" fill="none" stroke="${p.light}" stroke-width="1.3" opacity="0.35"/></pattern>`;
    case 'confetti':
      return `${open(34, 30)}<circle cx="6" cy="7" r="2.2" fill="${p.accent}" opacity="0.75"/><rect x="20" y="18" width="5" height="5" transform="rotate(25 22 20)" fill="${p.light}" opacity="0.7"/><circle cx="27" cy="5" r="1.4" fill="#ffffff" opacity="0.6"/></pattern>`;
    case 'grain':
      return `${open(6, 6)}<rect x="1" y="2" width="1" height="1" fill="#ffffff" opacity="0.25"/><rect x="4" y="4" width="1" height="1" fill="#000000" opacity="0.25"/></pattern>`;
  }
}

/** The picture: one composition, its sizes and positions from the title's hash. */
function artwork({ layout, palette: p }: PosterDesign, title: string, random: () => number): string {
  const W = POSTER_WIDTH;
  const H = POSTER_HEIGHT;
  switch (layout) {
    case 'orb': {
      const cx = 50 + random() * 100;
      const cy = 80 + random() * 50;
      const r = 55 + random() * 30;
      return [
        `<circle cx="${num(cx)}" cy="${num(cy)}" r="${num(r + 22)}" fill="none" stroke="${p.light}" stroke-width="2" opacity="0.5"/>`,
        `<circle cx="${num(cx)}" cy="${num(cy)}" r="${num(r)}" fill="${p.mid}"/>`,
        `<circle cx="${num(cx + r * 0.35)}" cy="${num(cy - r * 0.3)}" r="${num(r * 0.45)}" fill="${p.accent}" opacity="0.85"/>`,
      ].join('');
    }
    case 'bands': {
      const angle = -35 + random() * 70;
      const colours = [p.mid, p.light, p.accent, p.base, p.mid];
      const bands = colours.map((colour, i) => {
        const y = -60 + i * (56 + random() * 18);
        return `<rect x="-100" y="${num(y)}" width="400" height="${num(22 + random() * 26)}" fill="${colour}" opacity="${i === 2 ? 0.9 : 0.75}"/>`;
      });
      return `<g transform="rotate(${num(angle)} 100 150)">${bands.join('')}</g>`;
    }
    case 'rings': {
      const cx = random() < 0.5 ? 0 : W;
      const cy = 30 + random() * 80;
      const rings = Array.from({ length: 9 }, (_, i) => {
        const colour = [p.light, p.mid, p.accent][i % 3];
        return `<circle cx="${cx}" cy="${num(cy)}" r="${num(28 + i * 24)}" fill="none" stroke="${colour}" stroke-width="${num(6 + random() * 8)}" opacity="0.7"/>`;
      });
      return rings.join('');
    }
    case 'horizon': {
      const sunX = 40 + random() * 120;
      const ridge = (base: number, jag: number) => {
        const points = [`0,${H}`];
        for (let x = 0; x <= W; x += 25) points.push(`${x},${num(base - random() * jag)}`);
        points.push(`${W},${H}`);
        return points.join(' ');
      };
      return [
        `<rect y="${H * 0.35}" width="${W}" height="${H * 0.65}" fill="${p.mid}" opacity="0.55"/>`,
        `<circle cx="${num(sunX)}" cy="${num(H * 0.58)}" r="${num(34 + random() * 20)}" fill="${p.accent}"/>`,
        `<polygon points="${ridge(H * 0.66, 40)}" fill="${p.base}"/>`,
        `<polygon points="${ridge(H * 0.78, 30)}" fill="${p.deep}"/>`,
      ].join('');
    }
    case 'mosaic': {
      const tiles: string[] = [];
      const colours = [p.mid, p.light, p.accent, p.base, p.deep];
      for (let y = 0; y < H; y += 50) {
        for (let x = 0; x < W; x += 50) {
          const colour = colours[Math.floor(random() * colours.length)];
          const shape = random();
          if (shape < 0.4) tiles.push(`<rect x="${x}" y="${y}" width="50" height="50" fill="${colour}"/>`);
          else if (shape < 0.7) tiles.push(`<circle cx="${x + 25}" cy="${y + 25}" r="22" fill="${colour}"/>`);
          else tiles.push(`<path d="M${x} ${y} H${x + 50} V${y + 50} Z" fill="${colour}"/>`);
        }
      }
      return `<g opacity="0.85">${tiles.join('')}</g>`;
    }
    case 'letter': {
      const letter = [...title.replace(/^(the|a|an|le|la|les|il|el|der|die|das)\s+/i, '').trim()][0]?.toUpperCase() ?? '?';
      return [
        `<rect x="${num(random() * 60)}" width="${W}" height="${H}" fill="${p.mid}" opacity="0.45"/>`,
        `<text x="${num(W / 2 + (random() - 0.5) * 40)}" y="${num(H * 0.62)}" text-anchor="middle" font-family="${SERIF}" font-weight="700" font-size="250" fill="${p.light}" opacity="0.9">${escapeXml(letter)}</text>`,
      ].join('');
    }
  }
}

/** The genres, the title (as large as fits) and the year, white on the scrim. */
function textBlock(design: PosterDesign, movie: PosterMovie, genres: readonly string[]): string {
  const title = design.type === 'caps' ? movie.title.toUpperCase() : movie.title;
  // The serif's width is DejaVu Serif Bold's (Georgia's stand-in on Linux, much wider): a title never runs off the poster.
  const { lines, size } = titleLines(title, design.type === 'caps' ? 0.78 : design.type === 'serif' ? 0.68 : 0.64);
  const lineHeight = size * 1.12;
  const blockHeight = lines.length * lineHeight;
  const top = design.titleAt === 'top' ? 40 : POSTER_HEIGHT - 50 - blockHeight;
  const genreLine = genres.slice(0, 2).join(' · ').toUpperCase();
  const family = design.type === 'serif' ? SERIF : SANS;
  const tspans = lines
    .map((line, i) => `<tspan x="${MARGIN}" y="${num(top + size * 0.88 + i * lineHeight)}">${escapeXml(line)}</tspan>`)
    .join('');
  return [
    `<g fill="#ffffff" font-family="${SANS}">`,
    genreLine === '' ? '' : `<text x="${MARGIN}" y="${num(top - 9)}" font-size="9.5" font-weight="700" letter-spacing="1.4" opacity="0.9">${escapeXml(genreLine)}</text>`,
    `<text font-family="${family}" font-size="${size}" font-weight="${design.type === 'serif' ? 700 : 800}"${design.type === 'caps' ? ' letter-spacing="0.5"' : ''}>${tspans}</text>`,
    `<rect x="${MARGIN}" y="${POSTER_HEIGHT - 36}" width="26" height="2.5" fill="${design.palette.accent}"/>`,
    movie.year === null ? '' : `<text x="${MARGIN}" y="${POSTER_HEIGHT - 14}" font-size="15" font-weight="600" letter-spacing="1">${movie.year}</text>`,
    '</g>',
  ].join('');
}

const TITLE_SIZES = [28, 24, 21, 18, 16, 14];

/**
 * The largest title size at which the whole title fits without breaking a word; else the largest at which it fits;
 * else the smallest, cut with "…". `charEm`: the type's average glyph width in ems.
 */
function titleLines(title: string, charEm: number): { lines: string[]; size: number } {
  const tries = TITLE_SIZES.map((size) => ({
    size,
    wrapped: wrapText(title, { perLine: Math.floor((POSTER_WIDTH - 2 * MARGIN) / (size * charEm)), maxLines: Math.floor(TITLE_ZONE / (size * 1.12)) }),
  }));
  const best = tries.find((t) => !t.wrapped.cut && !t.wrapped.broken) ?? tries.find((t) => !t.wrapped.cut);
  if (best) return { lines: best.wrapped.lines, size: best.size };
  const { size, wrapped } = tries[tries.length - 1];
  return { lines: wrapped.lines, size };
}

/** FNV-1a, 32 bits. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** mulberry32: a small deterministic generator of numbers in [0, 1). */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
