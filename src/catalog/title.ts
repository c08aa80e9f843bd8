/** A trailing "(1995)", "(2006–2007)" or "(2006-)" after the title, as MovieLens writes years. */
const TRAILING_YEAR = /^(.*?)\s*\((\d{4})(?:\s*[-–]\s*(?:\d{4})?)?\)$/;

/** "Heat (1995)" → { title: "Heat", year: 1995 }; a title without a year keeps year null. */
export function splitTitleYear(raw: string): { title: string; year: number | null } {
  const trimmed = raw.trim();
  const match = TRAILING_YEAR.exec(trimmed);
  if (!match || match[1] === '') return { title: trimmed, year: null };
  return { title: match[1], year: Number(match[2]) };
}

/** MovieLens genres "Action|Crime" → ["Action", "Crime"]; "(no genres listed)" → []. */
export function splitGenres(raw: string): string[] {
  const trimmed = raw.trim();
  if (trimmed === '' || trimmed === '(no genres listed)') return [];
  return trimmed.split('|');
}
