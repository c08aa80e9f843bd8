/**
 * The "familiar ↔ discover" setting: five steps, 0 the most familiar (the model's own order) to 4 the most discovering,
 * and the one place the recommendation services re-rank stored candidates for a step (the quick 12 and the full 48
 * both come through rerankForDiscoveryStep). No HTTP here.
 */
import { z } from 'zod';

export const DISCOVERY_STEPS = [0, 1, 2, 3, 4] as const;
export type DiscoveryStep = (typeof DISCOVERY_STEPS)[number];

/** The step of a user who never moved the setting; the re-ranking evaluation sets the value. */
export const DEFAULT_DISCOVERY_STEP: DiscoveryStep = 2;

/** What each step is called on the pages, most familiar first. */
export const DISCOVERY_STEP_LABELS: Readonly<Record<DiscoveryStep, string>> = {
  0: 'Most familiar',
  1: 'Familiar',
  2: 'Balanced',
  3: 'Discover',
  4: 'Most discovery',
};

const STEP_RULE = `Choose a step from ${DISCOVERY_STEPS[0]} (most familiar) to ${DISCOVERY_STEPS[DISCOVERY_STEPS.length - 1]} (most discovery).`;

/** A step as JSON sends it (a number) or a form posts it (digits). */
export const discoveryStepInput = z
  .union([z.number({ error: STEP_RULE }), z.string({ error: STEP_RULE }).regex(/^\d{1,2}$/, STEP_RULE).transform(Number)], { error: STEP_RULE })
  .pipe(z.number().int(STEP_RULE).min(DISCOVERY_STEPS[0], STEP_RULE).max(DISCOVERY_STEPS[DISCOVERY_STEPS.length - 1], STEP_RULE))
  .transform((step) => step as DiscoveryStep);

/** A stored step as the services use it: null (never chosen) or one this code no longer has is the default. */
export function discoveryStepOf(stored: number | null): DiscoveryStep {
  return (DISCOVERY_STEPS as readonly number[]).includes(stored ?? -1) ? (stored as DiscoveryStep) : DEFAULT_DISCOVERY_STEP;
}

/** A stored candidate: a movie and its score, best first as stored (the quick ones also carry their `because`). */
export interface Candidate {
  readonly movieId: number;
  readonly score: number;
}

/**
 * The re-ranking stage's seam: the candidates in the order to show for `step`. Today every step returns the plain
 * (stored) order; the re-ranker replaces this body, with no retraining and no change to what is stored.
 */
export function rerankForDiscoveryStep<T extends Candidate>(candidates: readonly T[], _step: DiscoveryStep): T[] {
  return [...candidates];
}
