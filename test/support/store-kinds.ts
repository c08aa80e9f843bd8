/**
 * Both Store adapters behind one face, for tests that must hold on each (the fault and race suites): SQLite in a
 * fresh database file, and Firestore on Google's emulator (started once per test file, see firestore-emulator.ts) on
 * a fresh project id per case. `env` is what a child process (the real server) needs to reach the same data.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFirestoreClient } from '../../src/store/firestore/client.js';
import { openFirestoreStore, type FirestoreStoreOptions } from '../../src/store/firestore/open.js';
import { openSqliteStore, type Store } from '../../src/store/index.js';
import { resetFirestore, startFirestoreEmulator, type FirestoreEmulator } from './firestore-emulator.js';

export type StoreKindName = 'sqlite' | 'firestore';

export interface OpenedStore {
  readonly kind: StoreKindName;
  readonly store: Store;
  /** Another handle on the same data (another connection or client). */
  connect(options?: Partial<FirestoreStoreOptions>): Promise<Store>;
  /** The settings a server process needs to use the same data (STORE=…, DATA_DIR or the Firestore project). */
  readonly env: Readonly<Record<string, string>>;
  /** A folder for this case (DATA_DIR for SQLite, run folders for both). */
  readonly dir: string;
  /** Closes every handle and deletes the data. */
  cleanup(): Promise<void>;
}

export interface StoreKind {
  readonly name: StoreKindName;
  /** A fresh, empty store; Firestore options (deadlines) apply to the first handle. */
  open(options?: Partial<FirestoreStoreOptions>): Promise<OpenedStore>;
}

let emulator: Promise<FirestoreEmulator> | null = null;
let cases = 0;

/** The emulator of this test file, started on first use. */
export function firestoreEmulator(): Promise<FirestoreEmulator> {
  emulator ??= startFirestoreEmulator();
  return emulator;
}

/** Stops the emulator if this file started one (call it from a top-level after()). */
export async function stopFirestoreEmulator(): Promise<void> {
  const started = emulator;
  emulator = null;
  if (started) await (await started).stop();
}

export const sqliteKind: StoreKind = {
  name: 'sqlite',
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'moviehunter-sqlite-'));
    const path = join(dir, 'moviehunter.sqlite'); // where the server looks for it in DATA_DIR
    const handles: Store[] = [];
    const connect = async () => {
      const store = await openSqliteStore(path);
      handles.push(store);
      return store;
    };
    return {
      kind: 'sqlite',
      store: await connect(),
      connect,
      env: { STORE: 'sqlite', DATA_DIR: dir },
      dir,
      async cleanup() {
        for (const store of handles) await store.close().catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

export const firestoreKind: StoreKind = {
  name: 'firestore',
  async open(options = {}) {
    const { host } = await firestoreEmulator();
    const projectId = `sec-${process.pid}-${++cases}-${Date.now().toString(36)}`;
    const dir = mkdtempSync(join(tmpdir(), 'moviehunter-firestore-'));
    const handles: Store[] = [];
    const connect = async (more: Partial<FirestoreStoreOptions> = {}) => {
      const store = await openFirestoreStore({ ...more, projectId, firestore: createFirestoreClient({ projectId, host, ssl: false }) });
      handles.push(store);
      return store;
    };
    return {
      kind: 'firestore',
      store: await connect(options),
      connect,
      env: { STORE: 'firestore', GOOGLE_CLOUD_PROJECT: projectId, FIRESTORE_EMULATOR_HOST: host, DATA_DIR: dir },
      dir,
      async cleanup() {
        await Promise.all(handles.map((store) => store.close().catch(() => undefined)));
        await resetFirestore(host, projectId).catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

/** Both adapters, SQLite first; TEST_STORES=sqlite (or firestore) narrows them for one test tier. */
export const STORE_KINDS: readonly StoreKind[] = storeKindsFrom(process.env.TEST_STORES);

function storeKindsFrom(names: string | undefined): StoreKind[] {
  const all = [sqliteKind, firestoreKind];
  if (!names) return all;
  const wanted = names.split(',').map((name) => name.trim());
  const unknown = wanted.filter((name) => !all.some((kind) => kind.name === name));
  if (unknown.length > 0) throw new Error(`TEST_STORES names unknown stores: ${unknown.join(', ')} (sqlite, firestore)`);
  return all.filter((kind) => wanted.includes(kind.name));
}
