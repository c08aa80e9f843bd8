/**
 * The storage port: everything the web app and the tick keep between requests.
 * Adapter-neutral on purpose (a Firestore adapter implements it too): async, no SQL concepts, plain data,
 * every time an epoch-ms number passed in by the caller, every multi-step change atomic.
 * Errors are the typed ones of ./errors.js.
 */

export type Role = 'user' | 'admin';

/** A user's recommendation state (docs/architecture.md, "The batch pipeline"). */
export type UserState = 'none' | 'pending' | 'running' | 'ready' | 'failed';

export const USER_STATES: readonly UserState[] = ['none', 'pending', 'running', 'ready', 'failed'];

/** A public view of an account: never holds the password hash, so it can go into a page as is. */
export interface User {
  id: string;
  username: string;
  email: string;
  role: Role;
  createdAt: number;
}

export interface NewUser {
  username: string;
  email: string;
  passwordHash: string;
  role?: Role;
  now: number;
}

export interface UserStatus {
  state: UserState;
  /** Bumped by every savePicks; results are only accepted for the current one. 0 before the first picks. */
  generation: number;
  movieIds: number[];
  /** The run computing this generation while `running`, else null. */
  runId: string | null;
  /** Failed attempts at the current generation. */
  attempts: number;
  /** The last failure's reason (kept while retrying, cleared by savePicks and by success). */
  error: string | null;
  updatedAt: number;
}

/**
 * A user's status with their place in the queue: what the notify page polls, in a constant number of reads whatever
 * the number of users.
 */
export interface QueuedUserStatus extends UserStatus {
  /**
   * While `pending`: how many pending users a tick may claim before this one, an upper bound (0: next); null in any
   * other state. Exact while nobody ahead changed their picks again (a user who does goes to the back and may still be
   * counted until the next claim).
   */
  queuePosition: number | null;
}

/** What a user chose about how recommendations are shown (saved apart from the picks: changing it reruns nothing). */
export interface UserSettings {
  /** The "familiar ↔ discover" step by name; null until the user chooses one (then the app's default applies). */
  discoveryStep: string | null;
}

/** One quick recommendation: `because` is the picked movie that contributed most. */
export interface QuickItem {
  movieId: number;
  score: number;
  because: number;
}

export interface QuickRecommendations {
  generation: number;
  /** The scorer the items came from (a quick method's name); null when stored before it was kept. */
  method: string | null;
  items: QuickItem[];
  createdAt: number;
}

export interface ScoredItem {
  movieId: number;
  score: number;
}

/** A batch run's candidate: its score, and `because`, the picked movie that contributed most to it. */
export interface CandidateItem {
  movieId: number;
  score: number;
  because: number;
}

export interface Recommendations {
  generation: number;
  /** The run's candidates (up to params.candidates, 300), best first: the full recommendations shown come from them. */
  candidates: CandidateItem[];
  runId: string;
  createdAt: number;
}

/**
 * `running` until completeRun, failRun (or expireRuns) or interruptRun finishes it. `interrupted`: the run was stopped
 * by a shutdown or a crash of the app, not by a fault of its own, so it spent nobody's attempts.
 */
export type RunOutcome = 'running' | 'succeeded' | 'failed' | 'interrupted';

export interface NewRun {
  id: string;
  engine: string;
  now: number;
  leaseUntil: number;
}

/** A batch run, for the tick and the operations page. */
export interface RunRecord {
  id: string;
  engine: string;
  outcome: RunOutcome;
  createdAt: number;
  leaseUntil: number;
  finishedAt: number | null;
  /** Users claimed into the run. */
  users: number;
  /** Users whose recommendations were imported. */
  readyUsers: number;
  /** Users sent back to `pending` for another attempt (for an interrupted run: with their attempts unchanged). */
  retriedUsers: number;
  /** Users that reached `failed` (out of attempts). */
  failedUsers: number;
  /** Results ignored because the user's picks changed (or they were no longer in the run). */
  staleResults: number;
  error: string | null;
  metrics: Record<string, unknown> | null;
}

/** A user handed to a run: the generation and picks the engine must compute for. */
export interface ClaimedUser {
  userId: string;
  generation: number;
  movieIds: number[];
}

/** An engine's output for one user. */
export interface RunResult {
  userId: string;
  generation: number;
  /** Best first, each explained. */
  candidates: CandidateItem[];
}

export interface CompleteRunOptions {
  /** Users of the run without a result are retried until this many failed attempts, then `failed`. */
  maxAttempts: number;
  metrics?: Record<string, unknown>;
}

/**
 * A movie's poster as last looked up at TMDB: a cache, so a page never waits for TMDB and TMDB is asked once per
 * movie (again only after a while when it had none).
 */
export interface PosterRecord {
  /** The catalog's movie id (not TMDB's). */
  movieId: number;
  /** TMDB's poster_path, e.g. "/kqjL17yufvn9OVLyXYpvtyrFfak.jpg" (pages prefix TMDB_IMAGE_URL); null: TMDB has none. */
  path: string | null;
  /** When it was looked up, epoch ms. */
  checkedAt: number;
}

/** getPosters takes at most this many ids per call. */
export const MAX_POSTER_IDS = 500;

/**
 * A user's reaction to a movie, one per movie (a new one replaces the old): `seen` (optionally rated 1–5 stars),
 * `not_interested`, or `watchlist`. Seen and not-interested movies are never shown again and go into the next batch run.
 */
export type ReactionKind = 'seen' | 'not_interested' | 'watchlist';

export const REACTION_KINDS: readonly ReactionKind[] = ['seen', 'not_interested', 'watchlist'];

/** Kinds the batch run learns from (docs/run-folder.md): a change to one of them makes the user's results due again. */
export const TRAINED_REACTION_KINDS: readonly ReactionKind[] = ['seen', 'not_interested'];

export interface NewReaction {
  movieId: number;
  kind: ReactionKind;
  /** Stars 1–5, only with `seen` (null: seen without a rating). */
  rating: number | null;
}

export interface Reaction extends NewReaction {
  updatedAt: number;
}

/**
 * Attempts counted under one key until it expires: what the rate limits on sign-up and log-in keep, in the store so
 * that every web process counts together.
 */
export interface AttemptCount {
  /** Attempts counted since the key (re)started. */
  count: number;
  /** When the last attempt was counted, epoch ms. */
  lastAt: number;
  /** The key is gone at and after this, epoch ms. */
  expiresAt: number;
}

/** express-session's data: any JSON-serialisable object. */
export type SessionData = Record<string, unknown>;

export interface Store {
  // Users

  /** Creates an account; UsernameTakenError when the name is taken case-insensitively (also under a race). */
  createUser(input: NewUser): Promise<User>;
  /** The user with this name, compared case-insensitively (NFKC), or null. */
  findUserByUsername(username: string): Promise<User | null>;
  /** The user with this id, or null. */
  getUser(userId: string): Promise<User | null>;
  /** The stored password hash of a user, or null when there is no such user (for log-in only). */
  getPasswordHash(userId: string): Promise<string | null>;
  /** Sets the account's role (admin rights belong to the account); the updated user, or null for an unknown user. */
  setUserRole(userId: string, role: Role): Promise<User | null>;

  // Picks and state

  /** Replaces the picks: generation + 1, state `pending`, attempts 0, error and older recommendations cleared. */
  savePicks(userId: string, movieIds: readonly number[], now: number): Promise<UserStatus>;
  /** The user's state and picks (state `none`, generation 0 before any picks), or null for an unknown user. */
  getUserStatus(userId: string): Promise<UserStatus | null>;
  /** getUserStatus with the user's place in the queue while `pending`; null for an unknown user. */
  getQueuedUserStatus(userId: string): Promise<QueuedUserStatus | null>;
  /** Whether any user is `pending` (the tick's "anyone waiting?"), without counting them. */
  hasPendingUsers(): Promise<boolean>;
  /** Counts of users per state, every state present (for the operations page: its cost grows with the users). */
  countUsersByState(): Promise<Record<UserState, number>>;

  // Settings

  /** The user's settings (each null before the user chooses), or null for an unknown user. */
  getUserSettings(userId: string): Promise<UserSettings | null>;
  /** Replaces the user's settings; UserNotFoundError for an unknown user. Picks, state and recommendations are untouched. */
  saveUserSettings(userId: string, settings: UserSettings): Promise<UserSettings>;

  // Reactions

  /**
   * Sets the user's reaction to `reaction.movieId`, replacing an earlier one. When what the batch run learns changes
   * (a seen or not_interested reaction before or after; a new rating), a `ready`, `running` or `failed` user goes back
   * to `pending` (attempts 0, error cleared; the generation and the stored recommendations stay, and a running run's
   * result for the user is counted stale), so the next run uses it. UserNotFoundError for an unknown user.
   */
  saveReaction(userId: string, reaction: NewReaction, now: number): Promise<UserStatus>;
  /** Removes the user's reaction to a movie (the same state change as saveReaction); false when there was none. */
  deleteReaction(userId: string, movieId: number, now: number): Promise<boolean>;
  /** The user's reactions, newest first (ties: lower movie id first); [] for an unknown user. */
  listReactions(userId: string): Promise<Reaction[]>;

  // Recommendations

  /**
   * Stores quick recommendations for `generation`, made by the scorer `method`; false (nothing stored) when that is no
   * longer the current generation.
   */
  saveQuickRecommendations(userId: string, generation: number, items: readonly QuickItem[], now: number, method: string): Promise<boolean>;
  /** The quick recommendations of the current picks, or null. */
  getQuickRecommendations(userId: string): Promise<QuickRecommendations | null>;
  /** The full recommendations of the current picks (only a completed run writes them), or null. */
  getRecommendations(userId: string): Promise<Recommendations | null>;

  // The tick

  /** Takes or renews the single tick lease until now + ttlMs; false while another owner holds an unexpired one. */
  acquireTickLease(owner: string, now: number, ttlMs: number): Promise<boolean>;
  /** Gives the lease up if `owner` holds it; true when it did. */
  releaseTickLease(owner: string): Promise<boolean>;

  // Runs

  /** Records a new run (outcome `running`); RunExistsError for a used id. */
  createRun(input: NewRun): Promise<RunRecord>;
  /** One run, or null. */
  getRun(runId: string): Promise<RunRecord | null>;
  /** Moves a running run's lease (a heartbeat for long runs); false when it has finished, RunNotFoundError when unknown. */
  extendRunLease(runId: string, leaseUntil: number): Promise<boolean>;
  /** Atomically moves up to `limit` pending users, oldest first, to `running` in this run; concurrent claims never overlap. */
  claimPendingUsers(runId: string, limit: number, now: number): Promise<ClaimedUser[]>;
  /**
   * Finishes a run as `succeeded`: each user still running in it gets its result (if the generation matches) and
   * becomes `ready`; users without a result are retried or `failed` as in failRun; stale results are only counted.
   */
  completeRun(runId: string, results: readonly RunResult[], now: number, options: CompleteRunOptions): Promise<RunRecord>;
  /** Finishes a run as `failed`: its running users go back to `pending` with attempts + 1, or `failed` at maxAttempts. */
  failRun(runId: string, reason: string, now: number, maxAttempts: number): Promise<RunRecord>;
  /**
   * Finishes a run as `interrupted` (a shutdown or a crash of the app stopped it, not a fault of the run): its running
   * users go back to `pending` with their attempts and error unchanged, for the next run to pick up.
   */
  interruptRun(runId: string, reason: string, now: number): Promise<RunRecord>;
  /** failRun(…, 'lease expired', …) for every running run whose lease ended at or before now; returns them. */
  expireRuns(now: number, maxAttempts: number): Promise<RunRecord[]>;
  /** Runs still `running`, oldest first. */
  listActiveRuns(): Promise<RunRecord[]>;
  /** Run history, newest first. */
  listRuns(options: { limit: number }): Promise<RunRecord[]>;

  // Posters (a cache of TMDB look-ups)

  /**
   * The stored records of these movie ids, keyed by movie id; ids without one are absent. Duplicates are allowed;
   * [] gives an empty map; more than MAX_POSTER_IDS ids, or any id that is not a positive integer, is a StoreInputError.
   */
  getPosters(movieIds: readonly number[]): Promise<Map<number, PosterRecord>>;
  /** Creates or replaces the record of `record.movieId` (last write wins). StoreInputError on a malformed record. */
  savePoster(record: PosterRecord): Promise<void>;

  // Sessions (express-session)

  /** The session's data, or null when missing or expired at `now`. */
  getSession(sid: string, now: number): Promise<SessionData | null>;
  /** Creates or replaces a session. */
  setSession(sid: string, data: SessionData, expiresAt: number): Promise<void>;
  /** Moves a session's expiry; false when there is no such session. */
  touchSession(sid: string, expiresAt: number): Promise<boolean>;
  /** Deletes a session (no error when missing). */
  destroySession(sid: string): Promise<void>;
  /** Deletes every session expired at `now`; returns how many. */
  pruneExpiredSessions(now: number): Promise<number>;

  // Rate limits (shared by every web process)

  /**
   * Counts one attempt under `key`: a key missing or expired at `now` starts again at 1, expiring at now + windowMs;
   * otherwise its count grows by one and, when `sliding`, its expiry moves to now + windowMs (else it stays). Atomic:
   * concurrent counts are all counted; the count returned includes this attempt and may include ones made meanwhile.
   */
  countAttempt(key: string, now: number, windowMs: number, sliding: boolean): Promise<AttemptCount>;
  /** The key's count, or null when it is missing or expired at `now`. */
  getAttempts(key: string, now: number): Promise<AttemptCount | null>;
  /** Takes one attempt back (never below 0; nothing for a key missing or expired at `now`). */
  uncountAttempt(key: string, now: number): Promise<void>;
  /** Forgets the key (no error when missing). */
  clearAttempts(key: string): Promise<void>;
  /** Deletes every key expired at `now`; returns how many. */
  pruneExpiredAttempts(now: number): Promise<number>;
  /** Remembers that `account` logged in from `address` at `now`, keeping only its `keep` most recent addresses. */
  rememberLoginAddress(account: string, address: string, keep: number, now: number): Promise<void>;
  /** True when `address` is one of the addresses kept for `account`. */
  isKnownLoginAddress(account: string, address: string): Promise<boolean>;

  // Life cycle

  /** Readiness: resolves when the store answers, rejects (StoreUnavailableError) when it does not. */
  ping(): Promise<void>;
  /** Releases the connection; idempotent. Later calls reject with StoreUnavailableError. */
  close(): Promise<void>;
}
