/**
 * The "familiar ↔ discover" setting as the services use it: the re-ranking stage's steps (src/recommend/rerank), how
 * the pages name them, how input names them, and the one place the recommendation services re-rank stored candidates
 * for a step (the quick 12 and the full 48 both come through rerankForDiscoveryStep; the quick candidates' scorer for a
 * step is chosen beside it). No HTTP here.
 */
import { z } from 'zod';
import type { QuickMethod } from '../recommend/quick.js';
import { DEFAULT_DISCOVERY_STEP, DISCOVERY_STEPS, type DiscoveryStep } from '../recommend/rerank/index.js';

export { DEFAULT_DISCOVERY_STEP, DISCOVERY_STEPS, type DiscoveryStep };

/** What each step is called on the pages, most familiar first. */
export const DISCOVERY_STEP_LABELS: Readonly<Record<DiscoveryStep, string>> = {
  familiar: 'Familiar',
  balanced: 'Balanced',
  explore: 'Explore',
  discover: 'Discover',
};

const STEP_RULE = `Choose one of ${DISCOVERY_STEPS.join(', ')} (most familiar to most discovery).`;

/** A step as JSON sends it or a form posts it: its name. */
export const discoveryStepInput = z.enum(DISCOVERY_STEPS, { error: STEP_RULE });

/** A stored step as the services use it: null (never chosen) or one this code no longer has is the default. */
export function discoveryStepOf(stored: string | null): DiscoveryStep {
  return (DISCOVERY_STEPS as readonly string[]).includes(stored ?? '') ? (stored as DiscoveryStep) : DEFAULT_DISCOVERY_STEP;
}

/** A stored candidate: a movie and its score, best first as stored (with its `because` pick). */
export interface Candidate {
  readonly movieId: number;
  readonly score: number;
  readonly because: number;
}

/**
 * The re-ranking stage's seam: the `count` candidates to show for `step`, in order. Today every step shows the plain
 * (stored) order; the re-ranker replaces this body, with no retraining and no change to what is stored.
 */
export function rerankForDiscoveryStep<T extends Candidate>(candidates: readonly T[], _step: DiscoveryStep, count: number): T[] {
  return candidates.slice(0, count);
}

/**
 * The scorer of the quick candidates for `step`: today the configured one (QUICK_METHOD) for every step. Stored quick
 * candidates carry their scorer, so a step whose scorer differs from the stored one is computed anew.
 */
export function quickMethodForDiscoveryStep(_step: DiscoveryStep, configured: QuickMethod): QuickMethod {
  return configured;
}
