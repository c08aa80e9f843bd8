/**
 * The notify page's poll (GET /api/v1/me/recommendations while pending) costs a constant number of store reads whatever
 * the number of users: counted against the Firestore emulator with 3,000 users waiting, running and ready (the
 * position comes from the claim sequence, not from counting users), and the same answer from SQLite. Once per store
 * (TEST_STORES narrows them, as in the unit and cloud tiers).
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createFirestoreClient } from '../../src/store/firestore/client.js';
import { collections, QUEUE_SEQUENCE_ID } from '../../src/store/firestore/collections.js';
import { newUserDoc, type QueueDoc, type UserDoc } from '../../src/store/firestore/documents.js';
import type { Store } from '../../src/store/index.js';
import { countReads } from '../support/firestore-reads.js';
import { STORE_KINDS, stopFirestoreEmulator, type OpenedStore, type StoreKindName } from '../support/store-kinds.js';
import { alice, signedUp } from './support.js';
import { FIVE_PICKS, makeRecommenderApp, putPicks } from './recommender-support.js';

const PENDING = 1_500;
const RUNNING = 500;
const READY = 1_000;
/** Firestore's limit on writes in one batch. */
const BATCH = 500;

after(() => stopFirestoreEmulator());

/** The seeded users' state (in this order), all of it before the test's own user. */
function seededState(i: number): UserDoc['state'] {
  return i < PENDING ? 'pending' : i < PENDING + RUNNING ? 'running' : 'ready';
}

/** 3,000 users written straight into Firestore in batches of 500, the pending ones numbered in the claim sequence. */
async function seedFirestore(opened: OpenedStore, since: number): Promise<void> {
  const firestore = createFirestoreClient({ projectId: opened.env.GOOGLE_CLOUD_PROJECT, host: opened.env.FIRESTORE_EMULATOR_HOST, ssl: false });
  try {
    const cols = collections(firestore, '');
    const total = PENDING + RUNNING + READY;
    const batches = [];
    for (let start = 0; start < total; start += BATCH) {
      const batch = firestore.batch();
      for (let i = start; i < Math.min(total, start + BATCH); i++) {
        const state = seededState(i);
        const doc: UserDoc = {
          ...newUserDoc({ id: `seed-${i}`, username: `seed${i}`, usernameKey: `seed${i}`, email: `seed${i}@example.com`, role: 'user', passwordHash: 'h', createdAt: since }),
          state,
          generation: 1,
          picks: FIVE_PICKS,
          runId: state === 'running' ? 'seed-run' : null,
          stateUpdatedAt: since + i,
          queueNumber: state === 'pending' ? i + 1 : null,
        };
        batch.set(cols.users.doc(doc.id), doc);
      }
      batches.push(batch.commit());
    }
    const queue: QueueDoc = { issued: PENDING, claimedThrough: 0 };
    await Promise.all([...batches, cols.queue.doc(QUEUE_SEQUENCE_ID).set(queue)]);
  } finally {
    await firestore.terminate();
  }
}

/** The same mix through the store: picks for everyone, a run made ready, a run left running, the rest pending. */
async function seedThroughStore(store: Store, since: number): Promise<void> {
  const total = PENDING + RUNNING + READY;
  for (let i = 0; i < total; i++) {
    const user = await store.createUser({ username: `seed${i}`, email: `seed${i}@example.com`, passwordHash: 'h', now: since });
    await store.savePicks(user.id, FIVE_PICKS, since + i);
  }
  await store.createRun({ id: 'seed-ready', engine: 'seed', now: since + total, leaseUntil: since + total + 60_000 });
  const claimed = await store.claimPendingUsers('seed-ready', READY, since + total);
  const results = claimed.map(({ userId, generation }) => ({ userId, generation, candidates: [{ movieId: 260, score: 1, because: 1 }] }));
  await store.completeRun('seed-ready', results, since + total, { maxAttempts: 3 });
  await store.createRun({ id: 'seed-run', engine: 'seed', now: since + total, leaseUntil: since + total + 60_000 });
  await store.claimPendingUsers('seed-run', RUNNING, since + total);
}

/** How each store is seeded: Firestore straight in batches (fast on the emulator), SQLite through the store. */
const SEEDS: Record<StoreKindName, (opened: OpenedStore, since: number) => Promise<void>> = {
  firestore: seedFirestore,
  sqlite: (opened, since) => seedThroughStore(opened.store, since),
};

describe('the notify poll with 3,000 other users', () => {
  for (const kind of STORE_KINDS) {
    test(`${kind.name}: the position counts every pending user ahead; on Firestore a poll reads at most 5 documents and "anyone waiting?" 1`, async () => {
      const opened = await kind.open();
      const t = await makeRecommenderApp({ store: opened.store });
      try {
        const started = Date.now();
        await SEEDS[kind.name](opened, started - 3_600_000);
        console.log(`# ${kind.name}: seeded ${PENDING + RUNNING + READY} users in ${Date.now() - started} ms`);
        assert.deepEqual(await opened.store.countUsersByState(), { none: 0, pending: PENDING, running: RUNNING, ready: READY, failed: 0 });

        const { agent, token } = await signedUp(t.app, alice);
        await putPicks(agent, token, FIVE_PICKS).expect(200);
        const poll = await countReads(() => agent.get('/api/v1/me/recommendations').expect(200));
        assert.equal(poll.result.body.state, 'pending');
        assert.equal(poll.result.body.position, PENDING, 'every seeded pending user is ahead');
        const waiting = await countReads(() => opened.store.hasPendingUsers());
        assert.equal(waiting.result, true);
        if (kind.name !== 'firestore') return;
        console.log(`# one poll while pending: ${poll.reads} reads (${poll.requests.join(', ')})`);
        assert.ok(poll.reads <= 5, `a poll read ${poll.reads} documents: ${poll.requests.join(', ')}`);
        assert.equal(waiting.reads, 1, `"anyone waiting?" read ${waiting.requests.join(', ')}`);
      } finally {
        await t.close();
        await opened.cleanup();
      }
    });
  }
});
