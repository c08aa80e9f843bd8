/** The rules for a reaction: the movie id (path, form or JSON), the kind, and stars 1–5 only with "seen it". */
import { z } from 'zod';
import { REACTION_KINDS, type NewReaction, type ReactionKind } from '../store/index.js';
import { ValidationError } from './errors.js';
import { movieIdNumber, movieIdText } from './movies-input.js';

const RATING_RULE = 'Give a rating as a whole number of stars from 1 to 5, or none.';

/** Forms send text ('' for none); JSON sends a number or null. */
const rating = z.preprocess(
  (v) => (v === '' || v === null ? undefined : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v),
  z.number({ error: RATING_RULE }).int(RATING_RULE).min(1, RATING_RULE).max(5, RATING_RULE).optional(),
);

const reactionBody = z
  .object(
    {
      kind: z.enum(REACTION_KINDS as [ReactionKind, ...ReactionKind[]], { error: 'Say how you react: seen, not_interested or watchlist.' }),
      rating,
    },
    { error: 'Send an object with kind (seen, not_interested or watchlist) and, with seen, an optional rating.' },
  )
  .refine((body) => body.rating === undefined || body.kind === 'seen', { path: ['rating'], error: 'Only "seen" takes a rating.' });

/** A movie id from a path or form (text) or a JSON body (number); ValidationError on the field `movieId` otherwise. */
export function parseMovieId(value: unknown): number {
  const parsed = typeof value === 'number' ? movieIdNumber.safeParse(value) : movieIdText.safeParse(value);
  if (!parsed.success) throw new ValidationError([{ field: 'movieId', message: parsed.error.issues[0].message }], `movieId: ${parsed.error.issues[0].message}`);
  return parsed.data;
}

/** The validated reaction to `movieId`; ValidationError naming each field at fault. */
export function parseReaction(movieId: number, body: unknown): NewReaction {
  const parsed = reactionBody.safeParse(body);
  if (!parsed.success) {
    // The message names each field too, for the page that shows only the message (a card's form has no field to mark).
    const { issues } = ValidationError.fromZod(parsed.error);
    throw new ValidationError(issues!, issues!.map((i) => `${i.field}: ${i.message}`).join(' '));
  }
  return { movieId, kind: parsed.data.kind, rating: parsed.data.rating ?? null };
}
