/** The store's public surface: the port, its errors, and the SQLite adapter. */
export * from './store.js';
export * from './errors.js';
export { usernameKey } from './validate.js';
export { openSqliteStore } from './sqlite/open.js';
export type { SqliteStoreOptions } from './sqlite/open.js';
