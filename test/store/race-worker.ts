/**
 * A worker thread with its own SQLite connection, for races the event loop cannot fake: it opens the store,
 * says 'ready', blocks until the gate opens (so every worker starts at once), runs its task and posts the outcome.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { UsernameTakenError } from '../../src/store/errors.js';
import { openSqliteStore } from '../../src/store/sqlite/open.js';

export type RaceTask =
  | { kind: 'open' }
  | { kind: 'createUser'; username: string; calls: number }
  | { kind: 'claim'; runId: string; limit: number };

export interface RaceInput {
  path: string;
  gate: SharedArrayBuffer;
  task: RaceTask;
}

/** What a worker did: users created and refused as taken, users claimed, and any other error's message. */
export interface RaceOutcome {
  created: number;
  taken: number;
  claimed: string[];
  errors: string[];
}

async function race({ path, gate, task }: RaceInput): Promise<RaceOutcome> {
  const outcome: RaceOutcome = { created: 0, taken: 0, claimed: [], errors: [] };
  if (task.kind === 'open') {
    // The race is the opening itself: every worker opens the same new file at once.
    parentPort!.postMessage('ready');
    Atomics.wait(new Int32Array(gate), 0, 0);
    try {
      await (await openSqliteStore(path)).close();
    } catch (err) {
      outcome.errors.push(String(err));
    }
    return outcome;
  }
  const store = await openSqliteStore(path);
  parentPort!.postMessage('ready');
  Atomics.wait(new Int32Array(gate), 0, 0);
  try {
    if (task.kind === 'createUser') {
      const calls = Array.from({ length: task.calls }, (_, i) =>
        store.createUser({ username: task.username, email: `w${i}@example.com`, passwordHash: 'h', now: Date.now() }),
      );
      for (const result of await Promise.allSettled(calls)) {
        if (result.status === 'fulfilled') outcome.created++;
        else if (result.reason instanceof UsernameTakenError) outcome.taken++;
        else outcome.errors.push(String(result.reason));
      }
    } else if (task.kind === 'claim') {
      for (;;) {
        const batch = await store.claimPendingUsers(task.runId, task.limit, Date.now());
        if (batch.length === 0) break;
        outcome.claimed.push(...batch.map((c) => c.userId));
      }
    }
  } catch (err) {
    outcome.errors.push(String(err));
  } finally {
    await store.close();
  }
  return outcome;
}

// Only acts inside a worker: the test runner may also load this file as a plain module.
if (parentPort !== null) parentPort.postMessage(await race(workerData as RaceInput));
