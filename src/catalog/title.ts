/** A trailing "(1995)", "(2006–2007)" or "(2006-)" after the title, as MovieLens writes years. */
const TRAILING_YEAR = /^(.*?)\s*\((\d{4})(?:\s*[-–]\s*(?:\d{4})?)?\)$/;

/**
 * "Heat (1995)" → { title: "Heat", year: 1995 }; a title without a year keeps year null. MovieLens' library order
 * ("Matrix, The") becomes the title people say ("The Matrix"), see naturalTitle.
 */
export function splitTitleYear(raw: string): { title: string; year: number | null } {
  const trimmed = raw.trim();
  const match = TRAILING_YEAR.exec(trimmed);
  if (!match || match[1] === '') return { title: naturalTitle(trimmed), year: null };
  return { title: naturalTitle(match[1]), year: Number(match[2]) };
}

/** A trailing article, optionally before the last "(a.k.a. …)" or "(original title)" part. */
const TRAILING_ARTICLE = /^(.+?), (The|A|An|Les|La|Le|L'|Il|El|Das|Der|Die|Los|Las|Une|Un|Det|Den)((?: \([^()]*\))*)$/;

/** "Matrix, The" → "The Matrix"; "Cité des enfants perdus, La" → "La Cité des enfants perdus"; "Avventura, L'" → "L'Avventura". */
export function naturalTitle(title: string): string {
  const match = TRAILING_ARTICLE.exec(title);
  if (!match) return title;
  const [, rest, article, tail] = match;
  return `${article}${article.endsWith("'") ? '' : ' '}${rest}${tail}`;
}

/** MovieLens genres "Action|Crime" → ["Action", "Crime"]; "(no genres listed)" → []. */
export function splitGenres(raw: string): string[] {
  const trimmed = raw.trim();
  if (trimmed === '' || trimmed === '(no genres listed)') return [];
  return trimmed.split('|');
}
