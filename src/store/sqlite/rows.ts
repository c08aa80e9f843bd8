/** Row shapes as SQLite returns them, and their conversion to the port's plain data. */
import type { AttemptCount, CandidateItem, PosterRecord, QuickItem, Reaction, ReactionKind, Recommendations, QuickRecommendations, Role, RunOutcome, RunRecord, User, UserState, UserStatus } from '../store.js';

export interface UserRow {
  id: string;
  username: string;
  email: string;
  role: Role;
  created_at: number;
}

export interface StatusRow {
  state: UserState;
  generation: number;
  picks: string;
  run_id: string | null;
  attempts: number;
  error: string | null;
  state_updated_at: number;
}

interface StoredListRow {
  generation: number;
  items: string;
  created_at: number;
}

export interface QuickRow extends StoredListRow {
  method: string | null;
}

export interface RecommendationsRow extends StoredListRow {
  run_id: string;
}

export interface RunRow {
  id: string;
  engine: string;
  outcome: RunOutcome;
  created_at: number;
  lease_until: number;
  finished_at: number | null;
  users: number;
  ready_users: number;
  retried_users: number;
  failed_users: number;
  stale_results: number;
  error: string | null;
  metrics: string | null;
}

/** A user of a run, as completeRun and failRun need it. */
export interface RunUserRow {
  id: string;
  generation: number;
  attempts: number;
}

export interface PendingRow {
  id: string;
  generation: number;
  picks: string;
}

export interface PosterRow {
  movie_id: number;
  path: string | null;
  checked_at: number;
}

export interface AttemptRow {
  count: number;
  last_at: number;
  expires_at: number;
}

export interface ReactionRow {
  movie_id: number;
  kind: ReactionKind;
  rating: number | null;
  updated_at: number;
}

export function toReaction(row: ReactionRow): Reaction {
  return { movieId: row.movie_id, kind: row.kind, rating: row.rating, updatedAt: row.updated_at };
}

export function toPoster(row: PosterRow): PosterRecord {
  return { movieId: row.movie_id, path: row.path, checkedAt: row.checked_at };
}

export function toAttempts(row: AttemptRow): AttemptCount {
  return { count: row.count, lastAt: row.last_at, expiresAt: row.expires_at };
}

export function toUser(row: UserRow): User {
  return { id: row.id, username: row.username, email: row.email, role: row.role, createdAt: row.created_at };
}

export function toStatus(row: StatusRow): UserStatus {
  return {
    state: row.state,
    generation: row.generation,
    movieIds: JSON.parse(row.picks) as number[],
    runId: row.run_id,
    attempts: row.attempts,
    error: row.error,
    updatedAt: row.state_updated_at,
  };
}

export function toQuick(row: QuickRow): QuickRecommendations {
  return { generation: row.generation, method: row.method, items: JSON.parse(row.items) as QuickItem[], createdAt: row.created_at };
}

export function toRecommendations(row: RecommendationsRow): Recommendations {
  return { generation: row.generation, candidates: JSON.parse(row.items) as CandidateItem[], runId: row.run_id, createdAt: row.created_at };
}

export function toRun(row: RunRow): RunRecord {
  return {
    id: row.id,
    engine: row.engine,
    outcome: row.outcome,
    createdAt: row.created_at,
    leaseUntil: row.lease_until,
    finishedAt: row.finished_at,
    users: row.users,
    readyUsers: row.ready_users,
    retriedUsers: row.retried_users,
    failedUsers: row.failed_users,
    staleResults: row.stale_results,
    error: row.error,
    metrics: row.metrics === null ? null : (JSON.parse(row.metrics) as Record<string, unknown>),
  };
}
