/**
 * The rules for a set of picks: 5 to 50 distinct movie ids, each known to the catalog. A movie the model lacks
 * (nobody rated it yet) is welcome: the next batch run learns it from the picks. Every broken rule is one issue on
 * the field `movieIds`, naming the ids at fault; the shape is checked with zod first.
 */
import { z } from 'zod';
import type { FieldIssue } from './errors.js';
import { ValidationError } from './errors.js';
import { movieIdNumber } from './movies-input.js';

export const PICKS = { min: 5, max: 50 } as const;

/** The body: an object holding an array (of anything: each element is checked below, so all bad ones are listed). */
const picksBody = z.object(
  { movieIds: z.array(z.unknown(), { error: 'Send movieIds as a list of movie ids.' }) },
  { error: 'Send an object with movieIds, a list of movie ids.' },
);

/** What the checks need to know about movie ids. */
export interface PickRules {
  /** The catalog has this movie. */
  inCatalog(id: number): boolean;
  /** How a movie is named in a message, e.g. "Toy Story (1995)". */
  describe(id: number): string;
}

/** The validated picks, in the order given; ValidationError listing every problem otherwise. */
export function parsePicks(input: unknown, rules: PickRules): number[] {
  const body = picksBody.safeParse(input);
  if (!body.success) throw ValidationError.fromZod(body.error);
  const raw = body.data.movieIds;
  const issues: FieldIssue[] = [];
  const issue = (message: string) => issues.push({ field: 'movieIds', message });

  if (raw.length < PICKS.min) issue(`Pick at least ${PICKS.min} movies (you have ${raw.length}).`);
  if (raw.length > PICKS.max) issue(`Pick at most ${PICKS.max} movies (you have ${raw.length}).`);

  const ids: number[] = [];
  const malformed: string[] = [];
  for (const value of raw) {
    const parsed = movieIdNumber.safeParse(value);
    if (parsed.success) ids.push(parsed.data);
    else malformed.push(shortJson(value));
  }
  if (malformed.length > 0) issue(`These are not movie ids (positive whole numbers): ${listed(malformed)}.`);

  const seen = new Set<number>();
  const twice = new Set<number>();
  for (const id of ids) (seen.has(id) ? twice : seen).add(id);
  if (twice.size > 0) issue(`Picked more than once: ${listed([...twice].map(describeKnown(rules)))}.`);

  const unknown = [...seen].filter((id) => !rules.inCatalog(id));
  if (unknown.length > 0) issue(`Unknown movie ids: ${listed(unknown.map(String))}.`);

  if (issues.length > 0) throw new ValidationError(issues, issues.map((i) => i.message).join(' '));
  return ids;
}

const describeKnown = (rules: PickRules) => (id: number) => (rules.inCatalog(id) ? rules.describe(id) : String(id));

/** At most 10 entries, then "and N more". */
function listed(items: readonly string[]): string {
  const shown = items.slice(0, 10).join(', ');
  return items.length > 10 ? `${shown} and ${items.length - 10} more` : shown;
}

function shortJson(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 30 ? `${text.slice(0, 27)}...` : text;
}

/** The rules over the catalog (through the movies service). */
export function pickRules(movies: { has(id: number): boolean; card(id: number): { title: string; year: number | null } | null }): PickRules {
  return {
    inCatalog: (id) => movies.has(id),
    describe(id) {
      const card = movies.card(id);
      if (!card) return String(id);
      return card.year === null ? `${card.title} (id ${id})` : `${card.title} (${card.year}, id ${id})`;
    },
  };
}
