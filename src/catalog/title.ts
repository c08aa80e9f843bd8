/** A trailing "(1995)", "(2006–2007)" or "(2006-)" after the title, as MovieLens writes years. */
const TRAILING_YEAR = /^(.*?)\s*\((\d{4})(?:\s*[-–]\s*(?:\d{4})?)?\)$/;

/** A title and the other names MovieLens gives it in trailing parentheses (a.k.a. and original-language titles). */
export interface CleanTitle {
  readonly title: string;
  readonly alternativeTitles: string[];
}

/**
 * "Heat (1995)" → { title: "Heat", alternativeTitles: [], year: 1995 }; a title without a year keeps year null.
 * MovieLens' library order ("Matrix, The") becomes the title people say ("The Matrix"), see cleanTitle.
 */
export function splitTitleYear(raw: string): CleanTitle & { year: number | null } {
  const trimmed = raw.trim();
  const match = TRAILING_YEAR.exec(trimmed);
  if (!match || match[1] === '') return { ...cleanTitle(trimmed), year: null };
  return { ...cleanTitle(match[1]), year: Number(match[2]) };
}

/** One trailing " (…)" part without nested parentheses. */
const TRAILING_PART = /^(.*\S)\s+\(([^()]+)\)$/;
/** A title whose last words lead into the parentheses, so they belong to it: "Birdman: Or (The Unexpected Virtue…)". */
const LEADS_ON = /(?:[:\-–]|\b[Oo]r)$/;
const AKA = /^a\.?k\.?a\.?\s+/i;

/**
 * "Amelie (Fabuleux destin d'Amélie Poulain, Le)" → { title: "Amelie", alternativeTitles: ["Le Fabuleux destin d'Amélie
 * Poulain"] }; "Léon: The Professional (a.k.a. The Professional) (Léon)" → "Léon: The Professional" with
 * ["The Professional", "Léon"]. Each name gets its article back in front (naturalTitle).
 */
export function cleanTitle(title: string): CleanTitle {
  let rest = title.trim();
  const alternatives: string[] = [];
  for (let match = TRAILING_PART.exec(rest); match && !LEADS_ON.test(match[1]); match = TRAILING_PART.exec(rest)) {
    const alternative = naturalTitle(match[2].trim().replace(AKA, ''));
    if (alternative !== '') alternatives.unshift(alternative);
    rest = match[1];
  }
  const main = naturalTitle(rest);
  return { title: main, alternativeTitles: alternatives.filter((name, k) => name !== main && alternatives.indexOf(name) === k) };
}

/** A trailing article, optionally before the last "(a.k.a. …)" or "(original title)" part. */
const TRAILING_ARTICLE = /^(.+?), (The|A|An|Les|La|Le|L'|Il|El|Das|Der|Die|Los|Las|Lo|Une|Un|En|Det|Den)((?: \([^()]*\))*)$/;

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
