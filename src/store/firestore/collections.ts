/**
 * The collections of the Firestore adapter (all top-level, each name behind an optional prefix so several
 * deployments or test runs can share one database):
 *
 * - `users/{userId}`: the account, its password hash, and its pick state (UserDoc).
 * - `usernames/{sha256(usernameKey)}`: one per taken name, created in the same commit as the user (UsernameDoc).
 * - `quickRecommendations/{userId}`, `recommendations/{userId}`: the latest of each, deleted when the picks change.
 * - `runs/{runId}`: batch runs and their tallies (RunDoc).
 * - `leases/tick`: the single tick lease (LeaseDoc).
 * - `sessions/{sid}`: express-session data (SessionDoc), with a TTL field.
 * - `posters/{movieId}`: the cache of TMDB poster look-ups (PosterDoc).
 * - `reactions/{userId}`: every reaction of the user (ReactionsDoc).
 * - `queue/sequence`: the claim sequence that gives a pending user's place in the queue in one read (QueueDoc).
 * - `attempts/{sha256(key)}`: the rate limits' counts (AttemptDoc), with a TTL field.
 * - `loginAddresses/{sha256(account)}`: the addresses an account last logged in from (LoginAddressesDoc).
 */
import type { CollectionReference, Firestore } from '@google-cloud/firestore';

export const COLLECTION_NAMES = [
  'users',
  'usernames',
  'quickRecommendations',
  'recommendations',
  'runs',
  'leases',
  'sessions',
  'posters',
  'reactions',
  'queue',
  'attempts',
  'loginAddresses',
] as const;

export type CollectionName = (typeof COLLECTION_NAMES)[number];

export type Collections = Record<CollectionName, CollectionReference>;

/** The document id of the tick lease in `leases`. */
export const TICK_LEASE_ID = 'tick';

/** The document id of the claim sequence in `queue` (queue.ts). */
export const QUEUE_SEQUENCE_ID = 'sequence';

/** The collection references of one store; `prefix` is prepended to every collection name. */
export function collections(firestore: Firestore, prefix: string): Collections {
  return Object.fromEntries(COLLECTION_NAMES.map((name) => [name, firestore.collection(`${prefix}${name}`)])) as Collections;
}
