/**
 * The "familiar ↔ discover" setting: a few discrete steps, each the quick 12's candidate scorer and the re-ranker's
 * parameters. 'familiar' is today's method exactly (itemsim, no re-ranking: plain order and today's "because"); the
 * others were chosen on 535 validation users by RERANK_SEARCH=10 (explore and discover by runs 6 and 8, balanced by
 * run 9) with margins from the fold-to-fold spread (docs/recommendations.md records the runs). The full 48 and "more
 * like this" use a step's rerank options over their own candidates.
 */
import type { QuickMethod, QuickOptions } from '../quick.js';
import type { RerankOptions } from './rerank.js';

export const DISCOVERY_STEPS = ['familiar', 'balanced', 'explore', 'discover'] as const;
export type DiscoveryStep = (typeof DISCOVERY_STEPS)[number];

/** The step used unless the user moves the setting. */
export const DEFAULT_DISCOVERY_STEP: DiscoveryStep = 'balanced';

/** How the quick 12's candidates are made: the scorer, its weights, and the pool. */
export interface QuickCandidateSetting {
  /** Scorer of the quick 12's candidates (quick.ts). */
  readonly quickMethod: QuickMethod;
  /** Fold-in's share in 'blend'; quick.ts's default (0.5) when absent. */
  readonly blendWeight?: number;
  /** Fold-in's λ (in --foldin-regularization units); the model's own when absent. */
  readonly foldinRegularization?: number;
  /** Each pick's own top items by its contribution added to the pool (candidates.ts); none when absent. */
  readonly perPickCandidates?: number;
  /** η: each pick weighted by its ratings^−η in the scorer (quick.ts); every pick the same when absent. */
  readonly pickPopularityExponent?: number;
  /** In 'blend', the one part (fold-in or itemsim) the pick weight applies to; both when absent. */
  readonly pickWeightedPart?: 'foldin' | 'itemsim';
  /** α: every item's score divided by its factor norm^α (quick.ts); no discount when absent. */
  readonly itemNormExponent?: number;
}

export interface DiscoverySetting extends QuickCandidateSetting {
  /** null: the candidates' plain order. */
  readonly rerank: RerankOptions | null;
}

/** quickScorer's options for a step's candidates; itemPopularity (ratings per item row) is read by a pick weight only. */
export function quickOptionsOf(setting: QuickCandidateSetting, itemPopularity?: ArrayLike<number>): QuickOptions {
  return {
    method: setting.quickMethod,
    ...(setting.blendWeight === undefined ? {} : { blendWeight: setting.blendWeight }),
    ...(setting.foldinRegularization === undefined ? {} : { regularization: setting.foldinRegularization }),
    ...(setting.pickPopularityExponent === undefined ? {} : { pickPopularityExponent: setting.pickPopularityExponent, itemPopularity }),
    ...(setting.pickWeightedPart === undefined ? {} : { pickWeightedPart: setting.pickWeightedPart }),
    ...(setting.itemNormExponent === undefined ? {} : { itemNormExponent: setting.itemNormExponent }),
  };
}

/**
 * A name for the candidates a setting's scorer makes, stored beside them: the method alone when the setting has no
 * other option (so candidates stored before options existed keep their meaning), else the method and each option.
 */
export function quickCandidateKey(setting: QuickCandidateSetting): string {
  const parts: string[] = [setting.quickMethod];
  if (setting.blendWeight !== undefined) parts.push(`w${setting.blendWeight}`);
  if (setting.foldinRegularization !== undefined) parts.push(`reg${setting.foldinRegularization}`);
  if (setting.perPickCandidates !== undefined) parts.push(`pool${setting.perPickCandidates}`);
  if (setting.pickPopularityExponent !== undefined) parts.push(`eta${setting.pickPopularityExponent}${setting.pickWeightedPart ? `@${setting.pickWeightedPart}` : ''}`);
  if (setting.itemNormExponent !== undefined) parts.push(`alpha${setting.itemNormExponent}`);
  return parts.join(' ');
}

const SETTINGS: Readonly<Record<DiscoveryStep, DiscoverySetting>> = {
  familiar: { quickMethod: 'itemsim', rerank: null },
  balanced: {
    // Run 9: each pick's itemsim part weighted by its ratings^−0.25, so a famous pick says less than a niche one.
    quickMethod: 'blend',
    pickPopularityExponent: 0.25,
    pickWeightedPart: 'itemsim',
    rerank: {
      popularityExponent: 0,
      discountFrom: 60,
      headShare: 0.4,
      quotaByPicks: true,
      quotaPicksExponent: 8,
      quotaFullFrom: 0.8,
      pickPenalty: 0.01,
      calibration: 0.1,
      diversity: 0,
      headPenalty: 0.025,
    },
  },
  explore: {
    quickMethod: 'blend',
    rerank: { popularityExponent: 0.25, discountFrom: 60, headShare: 0.2, quotaByPicks: true, pickPenalty: 0, calibration: 0.1, diversity: 0 },
  },
  discover: {
    quickMethod: 'blend',
    rerank: { popularityExponent: 0.25, discountFrom: 60, headShare: 0.1, quotaByPicks: true, pickPenalty: 0, calibration: 0.1, diversity: 0, headPenalty: 0.2 },
  },
};

/** The scorer and re-ranker options of a step. */
export function discoverySetting(step: DiscoveryStep): DiscoverySetting {
  const setting = SETTINGS[step];
  if (setting === undefined) throw new Error(`unknown discovery step ${JSON.stringify(step)}: use one of ${DISCOVERY_STEPS.join(', ')}`);
  return setting;
}
