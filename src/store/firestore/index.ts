/** The Firestore adapter's public surface. */
export { openFirestoreStore } from './open.js';
export type { FirestoreStoreOptions } from './open.js';
export { createFirestoreClient, CLIENT_DEFAULTS } from './client.js';
export { COLLECTION_NAMES } from './collections.js';
export { QUERY_SHAPES, requiredIndex } from './queries.js';
export type { QueryShape } from './queries.js';
