/**
 * The stored document shapes and their conversion to the port's plain data. Times are epoch-ms numbers as the port
 * passes them; picks and items are arrays (kept in order); session data and run metrics are JSON text, as in SQLite,
 * so any JSON object survives (Firestore maps refuse nested arrays and some keys).
 */
import type { Timestamp } from '@google-cloud/firestore';
import type {
  CandidateItem,
  PosterRecord,
  QuickItem,
  QuickRecommendations,
  Reaction,
  Recommendations,
  Role,
  RunOutcome,
  RunRecord,
  User,
  UserSettings,
  UserState,
  UserStatus,
} from '../store.js';

export interface UserDoc {
  id: string;
  username: string;
  /** validate.ts usernameKey(username): what names are unique by. */
  usernameKey: string;
  email: string;
  role: Role;
  passwordHash: string;
  createdAt: number;
  state: UserState;
  generation: number;
  picks: number[];
  /** Set only while `running`. */
  runId: string | null;
  attempts: number;
  error: string | null;
  stateUpdatedAt: number;
  /** The "familiar ↔ discover" step; null until chosen (absent from documents written before the setting existed). */
  discoveryStep?: string | null;
  /**
   * The user's number in the claim sequence (queue.ts), taken each time they became `pending`; only meaningful while
   * pending (absent from documents written before the sequence existed).
   */
  queueNumber?: number | null;
}

/** The fields of UserDoc that a change of state rewrites (queueNumber only when the user becomes pending). */
export type StatusFields = Pick<UserDoc, 'state' | 'runId' | 'attempts' | 'error' | 'stateUpdatedAt' | 'queueNumber'>;

export interface UsernameDoc {
  userId: string;
  usernameKey: string;
}

export interface QuickDoc {
  generation: number;
  /** Absent from documents written before it was kept. */
  method?: string | null;
  items: QuickItem[];
  createdAt: number;
}

export interface RecommendationsDoc {
  generation: number;
  runId: string;
  /** The candidates (the field kept its name from when it held the 48 shown). */
  items: CandidateItem[];
  createdAt: number;
}

/** Every reaction of one user (a few hundred at most in practice: far below a document's 1 MiB). */
export interface ReactionsDoc {
  items: Reaction[];
}

export interface RunDoc {
  id: string;
  engine: string;
  outcome: RunOutcome;
  createdAt: number;
  leaseUntil: number;
  finishedAt: number | null;
  users: number;
  readyUsers: number;
  retriedUsers: number;
  failedUsers: number;
  staleResults: number;
  error: string | null;
  /** JSON text of an object, or null. */
  metrics: string | null;
}

export interface LeaseDoc {
  owner: string;
  until: number;
}

/** `queue/sequence`: the last number handed out and the highest number a claim has taken. */
export interface QueueDoc {
  issued: number;
  claimedThrough: number;
}

export interface SessionDoc {
  /** JSON text of the session object. */
  data: string;
  /** Epoch ms; the session is gone at and after it (what getSession and pruneExpiredSessions use). */
  expiresAt: number;
  /** The same instant as a Timestamp, for a Firestore TTL policy on this field (see the README). */
  expireAt: Timestamp;
}

/** A rate limit's count (`attempts/{sha256(key)}`), with a Timestamp copy of the expiry for a TTL policy. */
export interface AttemptDoc {
  key: string;
  count: number;
  lastAt: number;
  expiresAt: number;
  expireAt: Timestamp;
}

/** The addresses one account logged in from (`loginAddresses/{sha256(account)}`), most recent first. */
export interface LoginAddressesDoc {
  account: string;
  addresses: string[];
}

export interface PosterDoc {
  movieId: number;
  /** TMDB's poster path, or null when TMDB has none. */
  path: string | null;
  checkedAt: number;
}

export function newUserDoc(fields: Pick<UserDoc, 'id' | 'username' | 'usernameKey' | 'email' | 'role' | 'passwordHash' | 'createdAt'>): UserDoc {
  return {
    ...fields,
    state: 'none',
    generation: 0,
    picks: [],
    runId: null,
    attempts: 0,
    error: null,
    stateUpdatedAt: fields.createdAt,
    discoveryStep: null,
  };
}

export function newRunDoc(id: string, engine: string, now: number, leaseUntil: number): RunDoc {
  return {
    id,
    engine,
    outcome: 'running',
    createdAt: now,
    leaseUntil,
    finishedAt: null,
    users: 0,
    readyUsers: 0,
    retriedUsers: 0,
    failedUsers: 0,
    staleResults: 0,
    error: null,
    metrics: null,
  };
}

export function toUser(doc: UserDoc): User {
  return { id: doc.id, username: doc.username, email: doc.email, role: doc.role, createdAt: doc.createdAt };
}

export function toStatus(doc: UserDoc): UserStatus {
  return {
    state: doc.state,
    generation: doc.generation,
    movieIds: [...doc.picks],
    runId: doc.runId,
    attempts: doc.attempts,
    error: doc.error,
    updatedAt: doc.stateUpdatedAt,
  };
}

export function toSettings(doc: UserDoc): UserSettings {
  return { discoveryStep: doc.discoveryStep ?? null };
}

export function toQuick(doc: QuickDoc): QuickRecommendations {
  return {
    generation: doc.generation,
    method: doc.method ?? null,
    items: doc.items.map((item) => ({ movieId: item.movieId, score: item.score, because: item.because })),
    createdAt: doc.createdAt,
  };
}

export function toRecommendations(doc: RecommendationsDoc): Recommendations {
  return {
    generation: doc.generation,
    candidates: doc.items.map((item) => ({ movieId: item.movieId, score: item.score, because: item.because })),
    runId: doc.runId,
    createdAt: doc.createdAt,
  };
}

export function toRun(doc: RunDoc): RunRecord {
  return {
    id: doc.id,
    engine: doc.engine,
    outcome: doc.outcome,
    createdAt: doc.createdAt,
    leaseUntil: doc.leaseUntil,
    finishedAt: doc.finishedAt,
    users: doc.users,
    readyUsers: doc.readyUsers,
    retriedUsers: doc.retriedUsers,
    failedUsers: doc.failedUsers,
    staleResults: doc.staleResults,
    error: doc.error,
    metrics: doc.metrics === null ? null : (JSON.parse(doc.metrics) as Record<string, unknown>),
  };
}

export function toPoster(doc: PosterDoc): PosterRecord {
  return { movieId: doc.movieId, path: doc.path, checkedAt: doc.checkedAt };
}
