/**
 * The rules for a set of picks: 5 to 50 distinct movie ids, each known to the catalog and, when a model is loaded,
 * to the model (a movie nobody rated has no factors, so it cannot be folded in). Every broken rule is one issue on
 * the field `movieIds`, naming the ids at fault; the shape is checked with zod first.
 */
import { z } from 'zod';
import type { FieldIssue } from './errors.js';
import { ValidationError } from './errors.js';
import { jsonPreview } from './json-preview.js';
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
  /** The current model can use this movie; absent when no model is loaded (then only the catalog is checked). */
  inModel?: (id: number) => boolean;
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

  const inModel = rules.inModel;
  const unrated = inModel ? [...seen].filter((id) => rules.inCatalog(id) && !inModel(id)) : [];
  if (unrated.length > 0) {
    issue(`Nobody has rated these yet, so they cannot be used for recommendations: ${listed(unrated.map((id) => rules.describe(id)))}.`);
  }

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
  return jsonPreview(value, 30);
}

/** The rules over the catalog (through the movies service) and, when one is loaded, the model. */
export function pickRules(
  movies: { has(id: number): boolean; card(id: number): { title: string; year: number | null } | null },
  model: { itemIndex: ReadonlyMap<number, number> } | null,
): PickRules {
  return {
    inCatalog: (id) => movies.has(id),
    inModel: model ? (id) => model.itemIndex.has(id) : undefined,
    describe(id) {
      const card = movies.card(id);
      if (!card) return String(id);
      return card.year === null ? `${card.title} (id ${id})` : `${card.title} (${card.year}, id ${id})`;
    },
  };
}
