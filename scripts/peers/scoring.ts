/**
 * Scores a peer's exported factors with the core's evaluator, the same way for every engine:
 * - protocol A from the peer's own user factors (x_u·y_i over its items; movies it lacks score −∞);
 * - protocol B with the core's quick methods (fold-in, the original's item similarity, blend) on its item factors.
 * Each also yields metric@k curves (metric-curves.ts) from the same score vectors.
 */
import type { RatingsMatrix } from '../../src/catalog/types.js';
import { CurveTally, tallyKnownUsers, tallyNewUsers, type MetricCurves } from '../../src/recommend/evaluation/metric-curves.js';
import {
  evaluateKnownUsers,
  NewUserTally,
  type KnownUserMetrics,
  type KnownUserScorer,
  type NewUserMetrics,
  type NewUserScorer,
} from '../../src/recommend/evaluation/protocols.js';
import type { KnownUserSplit, NewUserCase } from '../../src/recommend/evaluation/splits.js';
import { prepareModel, type PreparedModel } from '../../src/recommend/foldin.js';
import { multiplyRows } from '../../src/recommend/linalg.js';
import type { ItemFactorModel, ModelParams } from '../../src/recommend/model.js';
import { quickScores, type QuickMethod } from '../../src/recommend/quick.js';
import { createRandom } from '../../src/recommend/random.js';
import type { PeerFactors } from './export-format.js';

export interface ScoredA {
  readonly users: number;
  readonly metrics: Omit<KnownUserMetrics, 'users'>;
  readonly curves: MetricCurves;
}

export interface ScoredB {
  readonly users: number;
  readonly metrics: Omit<NewUserMetrics, 'users'>;
  readonly curves: MetricCurves;
}

/** Protocol A with curves, for any scorer. */
export function scoreKnownUsers(split: KnownUserSplit, score: KnownUserScorer): ScoredA {
  const tally = new CurveTally();
  const { users, ...metrics } = evaluateKnownUsers(split, tallyKnownUsers(split, score, tally));
  return { users, metrics, curves: tally.curves() };
}

/**
 * Protocol B with curves over several groups of cases (one per fold, each with its own model's scorer): means over
 * every case, coverage over the union of the top 12s, as the core's NewUserTally.
 */
export class NewUserScores {
  private readonly tally: NewUserTally;
  private readonly curves = new CurveTally();

  constructor(itemCount: number) {
    this.tally = new NewUserTally(itemCount);
  }

  add(cases: readonly NewUserCase[], score: NewUserScorer): void {
    this.tally.add(cases, tallyNewUsers(cases, score, this.curves));
  }

  result(): ScoredB {
    const { users, ...metrics } = this.tally.metrics();
    return { users, metrics, curves: this.curves.curves() };
  }
}

/** Protocol A's scorer from a peer's user and item factors, in the training matrix's dense item order. */
export function knownUserScorerFromFactors(train: RatingsMatrix, peer: PeerFactors): KnownUserScorer {
  const k = peer.rank;
  const userRow = new Map<number, number>();
  peer.userIds.forEach((id, row) => userRow.set(id, row));
  const denseOf = denseItemsOf(train.itemIds, peer.itemIds);
  const x = new Float64Array(k);
  const modelScores = new Float64Array(peer.itemIds.length);
  return (user, out) => {
    out.fill(-Infinity);
    const row = userRow.get(train.userIds[user]);
    if (row === undefined) return;
    for (let a = 0; a < k; a++) x[a] = peer.userFactors[row * k + a];
    multiplyRows(peer.itemFactors, peer.itemIds.length, k, x, modelScores);
    for (let i = 0; i < denseOf.length; i++) if (denseOf[i] >= 0) out[denseOf[i]] = modelScores[i];
  };
}

/** The item-factor model of a peer's export, with the run's parameters (fold-in uses its λ and alpha). */
export function peerModel(peer: PeerFactors, params: ModelParams): PreparedModel {
  const model: ItemFactorModel = { rank: peer.rank, itemIds: peer.itemIds, itemFactors: peer.itemFactors, params, engine: peer.result.engine, trainedAt: new Date().toISOString() };
  return prepareModel(model);
}

/**
 * Protocol B's scorer: a quick method on the peer's item factors, scores put back in the full matrix's dense item
 * order (itemIds); picks the model never saw are left out, and a user with none of them gets no ranking (all −∞).
 */
export function newUserScorerFromModel(itemIds: Int32Array, prepared: PreparedModel, method: QuickMethod): NewUserScorer {
  const denseOf = denseItemsOf(itemIds, prepared.model.itemIds);
  return (picks) => {
    const out = new Float64Array(itemIds.length).fill(-Infinity);
    const movies = Array.from(picks, (i) => itemIds[i]).filter((id) => prepared.itemIndex.has(id));
    if (movies.length === 0) return out;
    const scores = quickScores(prepared, movies, { method });
    for (let i = 0; i < denseOf.length; i++) if (denseOf[i] >= 0) out[denseOf[i]] = scores[i];
    return out;
  };
}

/** denseOf[model row] = the index of that movie in itemIds, or −1. */
function denseItemsOf(itemIds: Int32Array, modelItemIds: Int32Array): Int32Array {
  const dense = new Map<number, number>();
  itemIds.forEach((id, i) => dense.set(id, i));
  return Int32Array.from(modelItemIds, (id) => dense.get(id) ?? -1);
}

/**
 * Protocol A's split with held-out items kept for at most `max` users (a seeded sample of those who have some),
 * so that every model is scored on the same users of a large dataset; the training part is unchanged.
 */
export function sampleKnownUsers(split: KnownUserSplit, max: number, seed: number): KnownUserSplit {
  const { indptr, items } = split.heldOut;
  const users = indptr.length - 1;
  const eligible: number[] = [];
  for (let u = 0; u < users; u++) if (indptr[u + 1] > indptr[u]) eligible.push(u);
  if (eligible.length <= max) return split;
  const keep = new Uint8Array(users);
  for (const u of seededChoice(eligible, max, seed)) keep[u] = 1;
  const nextIndptr = new Int32Array(users + 1);
  const kept: number[] = [];
  for (let u = 0; u < users; u++) {
    if (keep[u] === 1) for (let n = indptr[u]; n < indptr[u + 1]; n++) kept.push(items[n]);
    nextIndptr[u + 1] = kept.length;
  }
  return { train: split.train, heldOut: { indptr: nextIndptr, items: Int32Array.from(kept) } };
}

/** At most `max` of the new-user cases, a seeded sample in their original order. */
export function sampleNewUsers(cases: readonly NewUserCase[], max: number, seed: number): readonly NewUserCase[] {
  if (cases.length <= max) return cases;
  const chosen = new Set(seededChoice(cases.map((_, n) => n), max, seed));
  return cases.filter((_, n) => chosen.has(n));
}

function seededChoice(values: number[], count: number, seed: number): number[] {
  const list = [...values];
  const random = createRandom(seed);
  for (let n = 0; n < count; n++) {
    const pick = n + random.int(list.length - n);
    [list[n], list[pick]] = [list[pick], list[n]];
  }
  return list.slice(0, count);
}
