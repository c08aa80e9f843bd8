/**
 * One colour per MovieLens genre, for generated posters (white text on it) and for chart lines (on white): every one
 * has a contrast ratio of at least 4.5:1 against white (test/svg/genre-colours.test.ts checks it).
 */

const GENRE_COLOURS: Readonly<Record<string, string>> = {
  Action: '#b3261e',
  Adventure: '#9c4a00',
  Animation: '#6a3fb5',
  Children: '#0b7a75',
  "Children's": '#0b7a75',
  Comedy: '#b0175f',
  Crime: '#37474f',
  Documentary: '#4f6b1f',
  Drama: '#1a5fd0',
  Fantasy: '#7b1fa2',
  'Film-Noir': '#262626',
  Horror: '#6b0f0f',
  IMAX: '#00577a',
  Musical: '#8a3d8f',
  Mystery: '#283593',
  Romance: '#a3324f',
  'Sci-Fi': '#00695c',
  Thriller: '#4e342e',
  War: '#4b5320',
  Western: '#7d4312',
};

/** For genres this list does not know (other datasets) and movies without one. */
const FALLBACK = ['#5b616e', '#2f4f6f', '#5a3e6b', '#3e5b3a'];

export const NO_GENRE_COLOUR = FALLBACK[0];

/** The colour of a genre: a fixed one for MovieLens genres, a stable pick from the fallbacks for any other. */
export function genreColour(genre: string | null | undefined): string {
  if (!genre) return NO_GENRE_COLOUR;
  const known = GENRE_COLOURS[genre];
  if (known) return known;
  let hash = 0;
  for (let i = 0; i < genre.length; i++) hash = (hash * 31 + genre.charCodeAt(i)) >>> 0;
  return FALLBACK[hash % FALLBACK.length];
}

/** Every colour in use, for the contrast test. */
export function allGenreColours(): string[] {
  return [...new Set([...Object.values(GENRE_COLOURS), ...FALLBACK])];
}

/** WCAG contrast ratio between two #rrggbb colours. */
export function contrastRatio(a: string, b: string): number {
  const [la, lb] = [luminance(a), luminance(b)];
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

function luminance(hex: string): number {
  const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
