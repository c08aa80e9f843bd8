/** The rules for movie lookups, as zod schemas: title search (q, limit) and a movie id. */
import { z } from 'zod';

export const SEARCH_LIMIT = { min: 1, max: 50, default: 10 } as const;
/** Longer queries cannot match a title better than their first words; the index reads 8 words at most. */
const MAX_QUERY_LENGTH = 200;

/** Query-string values arrive as text; an absent or empty limit is the default. */
const defaultLimit = (value: unknown) => (value === undefined || value === '' ? String(SEARCH_LIMIT.default) : value);

const limitText = z
  .string({ error: 'Give limit once, as a whole number.' })
  .regex(/^\d+$/, `Use a whole number from ${SEARCH_LIMIT.min} to ${SEARCH_LIMIT.max}.`)
  .transform(Number)
  .pipe(
    z
      .number()
      .min(SEARCH_LIMIT.min, `Use a whole number from ${SEARCH_LIMIT.min} to ${SEARCH_LIMIT.max}.`)
      .max(SEARCH_LIMIT.max, `Use a whole number from ${SEARCH_LIMIT.min} to ${SEARCH_LIMIT.max}.`),
  );

export const searchInput = z.object({
  q: z
    .string({ error: 'Give q once, as text.' })
    .max(MAX_QUERY_LENGTH, `Use at most ${MAX_QUERY_LENGTH} characters.`)
    .optional()
    .default(''),
  limit: z.preprocess(defaultLimit, limitText),
});
export type SearchInput = z.infer<typeof searchInput>;

/** A movie id as it comes in a path or a form: digits only, a positive safe integer. */
export const movieIdText = z
  .string({ error: 'A movie id is a positive whole number.' })
  .regex(/^[1-9]\d{0,14}$/, 'A movie id is a positive whole number.')
  .transform(Number);

/** A movie id in a JSON body. */
export const movieIdNumber = z
  .number({ error: 'A movie id is a positive whole number.' })
  .int('A movie id is a positive whole number.')
  .positive('A movie id is a positive whole number.')
  .max(Number.MAX_SAFE_INTEGER, 'A movie id is a positive whole number.');
