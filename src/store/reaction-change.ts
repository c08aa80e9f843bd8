/** The one rule both adapters apply when a reaction changes: does the batch run learn something new from it? */
import { TRAINED_REACTION_KINDS } from './store.js';
import type { NewReaction } from './store.js';

type Before = Pick<NewReaction, 'kind' | 'rating'> | undefined;

/** Whether going from `before` to `after` (undefined: no reaction) changes what the batch run learns for the user. */
export function changesTraining(before: Before, after: Before): boolean {
  const trained = (r: Before) => r !== undefined && TRAINED_REACTION_KINDS.includes(r.kind);
  if (!trained(before) && !trained(after)) return false;
  return before?.kind !== after?.kind || (before?.rating ?? null) !== (after?.rating ?? null);
}
