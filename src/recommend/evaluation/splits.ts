import type { RatingsMatrix } from '../../catalog/types.js';
import { createRandom, type Random } from '../random.js';
import { ratingsFromTriples } from './ratings-matrix.js';

/** Item lists per user in CSR form: the items of user u are items[indptr[u] .. indptr[u + 1]). */
export interface ItemLists {
  readonly indptr: Int32Array;
  readonly items: Int32Array;
}

/** Protocol A: every user stays; some of their liked ratings are held out. */
export interface KnownUserSplit {
  /** Same users and items (same dense indices) as the full matrix, without the held-out ratings. */
  readonly train: RatingsMatrix;
  /** Held-out items per dense user (sorted); empty for users who had too few liked ratings. */
  readonly heldOut: ItemLists;
}

export interface KnownUserSplitOptions {
  /** Share of each user's liked ratings held out (0.2). */
  readonly fraction: number;
  /** A rating ≥ threshold counts as liked (4). */
  readonly threshold: number;
  readonly seed: number;
}

/** Protocol B: some users leave training entirely and come back as new users with a few picks. */
export interface NewUserCase {
  /** Dense index of the user in the full matrix. */
  readonly user: number;
  /** Dense item indices the user "picks" (liked ratings). */
  readonly picks: Int32Array;
  /** The user's other liked items, to be found (sorted). */
  readonly relevant: Int32Array;
}

export interface NewUserSplit {
  /** Only the remaining users (userIds is the subset), all items in the full matrix's dense order. */
  readonly train: RatingsMatrix;
  /** Dense indices (in the full matrix) of the held-out users, ascending. */
  readonly heldOutUsers: Int32Array;
  /** Held-out users with enough liked ratings, ascending by user. */
  readonly cases: readonly NewUserCase[];
}

export interface NewUserSplitOptions {
  /** Share of users held out (0.1), rounded to the nearest whole user, at least one. */
  readonly fraction: number;
  readonly threshold: number;
  /** Picks per new user (5); users need picks + 1 liked ratings to be evaluated. */
  readonly picks: number;
  readonly seed: number;
}

export const defaultKnownUserSplit: Omit<KnownUserSplitOptions, 'seed'> = { fraction: 0.2, threshold: 4 };
export const defaultNewUserSplit: Omit<NewUserSplitOptions, 'seed'> = { fraction: 0.1, threshold: 4, picks: 5 };

/**
 * Number of liked ratings to hold out of `liked`: round(fraction · liked), at least 1 when liked ≥ 2,
 * and never all of them (one liked rating stays in training).
 */
export function heldOutCount(liked: number, fraction: number): number {
  if (liked < 2) return 0;
  return Math.min(liked - 1, Math.max(1, Math.round(fraction * liked)));
}

/** Protocol A's split: per user, a seeded choice of heldOutCount(liked) of the ratings ≥ threshold. */
export function splitKnownUsers(ratings: RatingsMatrix, options: KnownUserSplitOptions): KnownUserSplit {
  checkFraction(options.fraction);
  const { byUser } = ratings;
  const nnz = byUser.indptr[byUser.rows];
  const random = createRandom(options.seed);
  const held = new Uint8Array(nnz);
  const heldIndptr = new Int32Array(byUser.rows + 1);
  const liked: number[] = [];
  for (let u = 0; u < byUser.rows; u++) {
    liked.length = 0;
    for (let n = byUser.indptr[u]; n < byUser.indptr[u + 1]; n++) if (byUser.values[n] >= options.threshold) liked.push(n);
    const count = heldOutCount(liked.length, options.fraction);
    partialShuffle(liked, count, random);
    for (let h = 0; h < count; h++) held[liked[h]] = 1;
    heldIndptr[u + 1] = heldIndptr[u] + count;
  }

  const heldItems = new Int32Array(heldIndptr[byUser.rows]);
  const users = new Int32Array(nnz);
  const items = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  let kept = 0;
  let at = 0;
  for (let u = 0; u < byUser.rows; u++) {
    // Rows are column-sorted, so each user's held-out items come out sorted too.
    for (let n = byUser.indptr[u]; n < byUser.indptr[u + 1]; n++) {
      if (held[n] === 1) {
        heldItems[at++] = byUser.indices[n];
      } else {
        users[kept] = u;
        items[kept] = byUser.indices[n];
        values[kept++] = byUser.values[n];
      }
    }
  }
  const train = ratingsFromTriples(ratings.userIds, ratings.itemIds, users, items, values, kept);
  return { train, heldOut: { indptr: heldIndptr, items: heldItems } };
}

/** Protocol B's split: a seeded share of users leaves training; each with ≥ picks + 1 liked ratings gets seeded picks. */
export function splitNewUsers(ratings: RatingsMatrix, options: NewUserSplitOptions): NewUserSplit {
  checkFraction(options.fraction);
  checkPicks(options.picks);
  const random = createRandom(options.seed);
  const userCount = ratings.byUser.rows;
  const leaving = userCount < 2 ? 0 : Math.min(userCount - 1, Math.max(1, Math.round(options.fraction * userCount)));
  const order = Array.from({ length: userCount }, (_, u) => u);
  partialShuffle(order, leaving, random);
  return splitOutUsers(ratings, Int32Array.from(order.slice(0, leaving)).sort(), options, random);
}

/** Protocol B with k-fold cross-validation over users. */
export interface NewUserFoldOptions {
  /** Number of folds, 2 ≤ folds ≤ users: each user is held out in exactly one fold. */
  readonly folds: number;
  readonly threshold: number;
  readonly picks: number;
  readonly seed: number;
}

/**
 * A seeded partition of the users 0 … userCount − 1 into `folds` groups of ⌊n/k⌋ or ⌈n/k⌉ users, each ascending:
 * a seeded shuffle cut into consecutive runs. The first step of splitNewUserFolds, exposed for tests.
 */
export function userFolds(userCount: number, folds: number, seed: number): Int32Array[] {
  return foldsOf(userCount, folds, createRandom(seed));
}

/**
 * Protocol B's k splits, in fold order: fold f's users leave training (the other folds' users train) and come back
 * as new users with seeded picks, as in splitNewUsers. Lazy, so only one fold's training matrix lives at a time;
 * one seeded stream serves the partition and then every fold's picks, so the same seed gives the same folds.
 */
export function* splitNewUserFolds(ratings: RatingsMatrix, options: NewUserFoldOptions): Generator<NewUserSplit, void, undefined> {
  checkPicks(options.picks);
  const random = createRandom(options.seed);
  for (const heldOut of foldsOf(ratings.byUser.rows, options.folds, random)) {
    yield splitOutUsers(ratings, heldOut, options, random);
  }
}

function foldsOf(userCount: number, folds: number, random: Random): Int32Array[] {
  if (!Number.isInteger(folds) || folds < 2 || folds > userCount) {
    throw new RangeError(`folds must be an integer from 2 to the number of users (${userCount}), got ${folds}`);
  }
  const order = Array.from({ length: userCount }, (_, u) => u);
  partialShuffle(order, userCount - 1, random);
  return Array.from({ length: folds }, (_, f) =>
    Int32Array.from(order.slice(Math.floor((f * userCount) / folds), Math.floor(((f + 1) * userCount) / folds))).sort(),
  );
}

/** The split for these held-out users (ascending): their picks drawn from `random` in user order, the rest trains. */
function splitOutUsers(
  ratings: RatingsMatrix,
  heldOutUsers: Int32Array,
  options: Pick<NewUserSplitOptions, 'threshold' | 'picks'>,
  random: Random,
): NewUserSplit {
  const { byUser } = ratings;
  const userCount = byUser.rows;
  const isHeldOut = new Uint8Array(userCount);
  for (const u of heldOutUsers) isHeldOut[u] = 1;

  const cases: NewUserCase[] = [];
  for (const u of heldOutUsers) {
    const liked: number[] = [];
    for (let n = byUser.indptr[u]; n < byUser.indptr[u + 1]; n++) if (byUser.values[n] >= options.threshold) liked.push(byUser.indices[n]);
    if (liked.length < options.picks + 1) continue;
    partialShuffle(liked, options.picks, random);
    cases.push({ user: u, picks: Int32Array.from(liked.slice(0, options.picks)), relevant: Int32Array.from(liked.slice(options.picks)).sort() });
  }

  const keptUsers = userCount - heldOutUsers.length;
  const keptIds = new Int32Array(keptUsers);
  const nnz = byUser.indptr[userCount];
  const users = new Int32Array(nnz);
  const items = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  let row = 0;
  let kept = 0;
  for (let u = 0; u < userCount; u++) {
    if (isHeldOut[u] === 1) continue;
    keptIds[row] = ratings.userIds[u];
    for (let n = byUser.indptr[u]; n < byUser.indptr[u + 1]; n++) {
      users[kept] = row;
      items[kept] = byUser.indices[n];
      values[kept++] = byUser.values[n];
    }
    row++;
  }
  const train = ratingsFromTriples(keptIds, ratings.itemIds, users, items, values, kept);
  return { train, heldOutUsers, cases };
}

/** Moves a uniform random choice of `count` entries to the front (the first steps of a Fisher–Yates shuffle). */
function partialShuffle(list: number[], count: number, random: Random): void {
  for (let n = 0; n < count; n++) {
    const pick = n + random.int(list.length - n);
    const swap = list[n];
    list[n] = list[pick];
    list[pick] = swap;
  }
}

function checkPicks(picks: number): void {
  if (!Number.isInteger(picks) || picks < 1) throw new RangeError(`picks must be an integer ≥ 1, got ${picks}`);
}

function checkFraction(fraction: number): void {
  if (!(fraction > 0 && fraction < 1)) throw new RangeError(`fraction must be in (0, 1), got ${fraction}`);
}

/**
 * The same users as "famous pickers": a new user types the titles they remember, so their picks are the `picks` most-rated
 * (by `popularity`, ties to the lower row) of all their liked items (picks and relevant), and the rest is to be found.
 */
export function famousPickCases(cases: readonly NewUserCase[], popularity: ArrayLike<number>, picks: number): NewUserCase[] {
  checkPicks(picks);
  return cases.map((c) => {
    const liked = [...c.picks, ...c.relevant].sort((a, b) => popularity[b] - popularity[a] || a - b);
    return { user: c.user, picks: Int32Array.from(liked.slice(0, picks)), relevant: Int32Array.from(liked.slice(picks)).sort() };
  });
}
