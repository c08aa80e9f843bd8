/**
 * The store's argument checks, run by validating-store.ts before any adapter sees a call, so bad input is a
 * StoreInputError and never a half-written state. The store checks shape, not product rules (5–50 picks is the web layer's).
 */
import { StoreInputError } from './errors.js';
import { MAX_POSTER_IDS, REACTION_KINDS } from './store.js';
import type {
  CandidateItem,
  NewReaction,
  NewRun,
  NewUser,
  PosterRecord,
  QuickItem,
  Role,
  RunResult,
  ScoredItem,
  SessionData,
  UserSettings,
} from './store.js';

const ROLES: readonly Role[] = ['user', 'admin'];
const MAX_ID_LENGTH = 256;

/** The key usernames are unique by: NFKC-normalised and lower-cased, so "Ａlice" and "ALICE" collide with "alice". */
export function usernameKey(username: string): string {
  return username.normalize('NFKC').toLowerCase();
}

export function checkText(field: string, value: unknown, maxLength = 1024): string {
  if (typeof value !== 'string' || value.length === 0) throw new StoreInputError(field, 'must be a non-empty string');
  if (value.length > maxLength) throw new StoreInputError(field, `must be at most ${maxLength} characters`);
  return value;
}

export function checkId(field: string, value: unknown): string {
  return checkText(field, value, MAX_ID_LENGTH);
}

/** Times are whole epoch milliseconds (Date.now()). */
export function checkTime(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new StoreInputError(field, 'must be a time in whole epoch milliseconds (an integer ≥ 0)');
  }
  return value;
}

export function checkCount(field: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new StoreInputError(field, `must be an integer ≥ ${min}`);
  }
  return value;
}

export function checkNewUser(input: NewUser): Required<NewUser> {
  if (typeof input !== 'object' || input === null) throw new StoreInputError('user', 'must be an object');
  const role = checkRole(input.role ?? 'user');
  return {
    username: checkText('username', input.username, MAX_ID_LENGTH),
    email: checkText('email', input.email, MAX_ID_LENGTH),
    passwordHash: checkText('passwordHash', input.passwordHash),
    role,
    now: checkTime('now', input.now),
  };
}

export function checkMovieId(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new StoreInputError(field, 'must be a positive integer movie id');
  }
  return value;
}

/** Picks: a non-empty list of distinct movie ids, order kept. */
export function checkMovieIds(movieIds: unknown): number[] {
  if (!Array.isArray(movieIds) || movieIds.length === 0) throw new StoreInputError('movieIds', 'must be a non-empty array');
  const seen = new Set<number>();
  return (movieIds as unknown[]).map((raw, i) => {
    const id = checkMovieId(`movieIds[${i}]`, raw);
    if (seen.has(id)) throw new StoreInputError(`movieIds[${i}]`, `movie ${id} is picked twice`);
    seen.add(id);
    return id;
  });
}

function checkScore(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new StoreInputError(field, 'must be a finite number');
  return value;
}

/** Copies items to plain objects with exactly the stored fields, rejecting duplicates. */
export function checkScoredItems(field: string, items: unknown): ScoredItem[] {
  if (!Array.isArray(items)) throw new StoreInputError(field, 'must be an array');
  const seen = new Set<number>();
  return items.map((item: ScoredItem, i) => {
    if (typeof item !== 'object' || item === null) throw new StoreInputError(`${field}[${i}]`, 'must be an object');
    const movieId = checkMovieId(`${field}[${i}].movieId`, item.movieId);
    if (seen.has(movieId)) throw new StoreInputError(`${field}[${i}].movieId`, `movie ${movieId} is listed twice`);
    seen.add(movieId);
    return { movieId, score: checkScore(`${field}[${i}].score`, item.score) };
  });
}

export function checkQuickItems(items: unknown): QuickItem[] {
  return checkExplainedItems('items', items);
}

/** Scored items that each name the pick they are there because of. */
function checkExplainedItems(field: string, items: unknown): CandidateItem[] {
  const scored = checkScoredItems(field, items);
  return scored.map((item, i) => ({
    ...item,
    because: checkMovieId(`${field}[${i}].because`, (items as CandidateItem[])[i].because),
  }));
}

/** Settings with exactly the stored fields: discoveryStep null or a name of 1–64 characters (which names: the services' rule). */
export function checkUserSettings(settings: unknown): UserSettings {
  if (typeof settings !== 'object' || settings === null) throw new StoreInputError('settings', 'must be an object');
  const { discoveryStep } = settings as UserSettings;
  return { discoveryStep: discoveryStep === null ? null : checkText('discoveryStep', discoveryStep, 64) };
}

/** A reaction with exactly the stored fields: a movie id, a kind, and a 1–5 integer rating only with `seen` (else null). */
export function checkNewReaction(reaction: unknown): NewReaction {
  if (typeof reaction !== 'object' || reaction === null) throw new StoreInputError('reaction', 'must be an object');
  const { movieId, kind, rating } = reaction as NewReaction;
  if (!REACTION_KINDS.includes(kind)) throw new StoreInputError('kind', `must be one of ${REACTION_KINDS.join(', ')}`);
  const stars = rating ?? null;
  if (stars !== null && (kind !== 'seen' || !Number.isInteger(stars) || stars < 1 || stars > 5)) {
    throw new StoreInputError('rating', 'must be null, or an integer from 1 to 5 with kind seen');
  }
  return { movieId: checkMovieId('movieId', movieId), kind, rating: stars };
}

export function checkNewRun(input: NewRun): NewRun {
  if (typeof input !== 'object' || input === null) throw new StoreInputError('run', 'must be an object');
  const now = checkTime('now', input.now);
  const leaseUntil = checkTime('leaseUntil', input.leaseUntil);
  if (leaseUntil < now) throw new StoreInputError('leaseUntil', 'must not be before now');
  return { id: checkId('id', input.id), engine: checkText('engine', input.engine, MAX_ID_LENGTH), now, leaseUntil };
}

/** One result per user, each for a positive generation. */
export function checkRunResults(results: unknown): RunResult[] {
  if (!Array.isArray(results)) throw new StoreInputError('results', 'must be an array');
  const seen = new Set<string>();
  return results.map((result: RunResult, i) => {
    if (typeof result !== 'object' || result === null) throw new StoreInputError(`results[${i}]`, 'must be an object');
    const userId = checkId(`results[${i}].userId`, result.userId);
    if (seen.has(userId)) throw new StoreInputError(`results[${i}].userId`, `user ${userId} has two results`);
    seen.add(userId);
    return {
      userId,
      generation: checkCount(`results[${i}].generation`, result.generation, 1),
      candidates: checkExplainedItems(`results[${i}].candidates`, result.candidates),
    };
  });
}

/** getPosters' ids: positive integers, at most MAX_POSTER_IDS, returned without duplicates. */
export function checkPosterIds(movieIds: unknown): number[] {
  if (!Array.isArray(movieIds)) throw new StoreInputError('movieIds', 'must be an array');
  if (movieIds.length > MAX_POSTER_IDS) throw new StoreInputError('movieIds', `must hold at most ${MAX_POSTER_IDS} ids`);
  return [...new Set(movieIds.map((id, i) => checkMovieId(`movieIds[${i}]`, id)))];
}

/** A poster record with exactly the stored fields: a movie id, a path (1–512 characters) or null, a time. */
export function checkPosterRecord(record: unknown): PosterRecord {
  if (typeof record !== 'object' || record === null) throw new StoreInputError('record', 'must be an object');
  const { movieId, path, checkedAt } = record as PosterRecord;
  return {
    movieId: checkMovieId('movieId', movieId),
    path: path === null ? null : checkText('path', path, 512),
    checkedAt: checkTime('checkedAt', checkedAt),
  };
}

export function checkMetrics(metrics: unknown): Record<string, unknown> | null {
  if (metrics === undefined) return null;
  return JSON.parse(toJsonObject('metrics', metrics)) as Record<string, unknown>;
}

/** Session data must be a JSON-serialisable object (both adapters keep it as JSON text); returned as given. */
export function checkSessionData(data: unknown): SessionData {
  toJsonObject('data', data);
  return data as SessionData;
}

function toJsonObject(field: string, value: unknown): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new StoreInputError(field, 'must be an object');
  try {
    return JSON.stringify(value);
  } catch (err) {
    throw new StoreInputError(field, `is not JSON-serialisable (${(err as Error).message})`);
  }
}

export function checkRole(role: Role): Role {
  if (!ROLES.includes(role)) throw new StoreInputError('role', `must be one of ${ROLES.join(', ')}`);
  return role;
}
