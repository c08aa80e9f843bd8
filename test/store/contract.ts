/**
 * The behaviour every Store adapter must have. An adapter's test file calls runStoreContract with a factory of
 * fresh, empty stores; the Firestore adapter runs this same suite unchanged.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  RunExistsError,
  RunNotActiveError,
  RunNotFoundError,
  StoreInputError,
  StoreUnavailableError,
  UserNotFoundError,
  UsernameTakenError,
} from '../../src/store/errors.js';
import { MAX_POSTER_IDS, type CandidateItem, type Store, type User } from '../../src/store/store.js';

export interface StoreFixture {
  /** A fresh, empty store. */
  store: Store;
  /** Another handle on the same data (another connection or client): for races and for reopening. */
  connect(): Promise<Store>;
  /** Closes every handle and deletes the data. */
  cleanup(): Promise<void>;
}

const T0 = 1_700_000_000_000;
const MINUTE = 60_000;
const PICKS = [1, 2, 3, 4, 5];

function newUser(store: Store, username = 'alice', now = T0): Promise<User> {
  return store.createUser({ username, email: `${username.toLowerCase()}@example.com`, passwordHash: `hash:${username}`, now });
}

/** A user whose picks are saved (state pending), created and saved at `now`. */
async function pendingUser(store: Store, username: string, now = T0, picks = PICKS): Promise<User> {
  const user = await newUser(store, username, now);
  await store.savePicks(user.id, picks, now);
  return user;
}

/** Candidates as a run imports them: best first, each with the pick it owes most to. */
function candidates(...movieIds: number[]) {
  return movieIds.map((movieId, i) => ({ movieId, score: 1 - i / 1000, because: PICKS[i % PICKS.length] }));
}

export function runStoreContract(name: string, makeStore: () => Promise<StoreFixture>): void {
  /** Runs a test body against a fresh store, cleaning up whatever happens. */
  async function withStore(body: (store: Store, fixture: StoreFixture) => Promise<void>): Promise<void> {
    const fixture = await makeStore();
    try {
      await body(fixture.store, fixture);
    } finally {
      await fixture.cleanup();
    }
  }

  describe(`store contract: ${name}`, () => {
    describe('users', () => {
      it('creates a user and reads it back by id, without the password hash', () =>
        withStore(async (store) => {
          const user = await newUser(store);
          assert.equal(typeof user.id, 'string');
          assert.deepEqual(user, { id: user.id, username: 'alice', email: 'alice@example.com', role: 'user', createdAt: T0 });
          assert.deepEqual(await store.getUser(user.id), user);
          assert.equal(await store.getUser('no-such-user'), null);
          assert.equal(await store.getPasswordHash(user.id), 'hash:alice');
          assert.equal(await store.getPasswordHash('no-such-user'), null);
        }));

      it('keeps an admin role', () =>
        withStore(async (store) => {
          const admin = await store.createUser({ username: 'root', email: 'r@example.com', passwordHash: 'h', role: 'admin', now: T0 });
          assert.equal((await store.getUser(admin.id))?.role, 'admin');
        }));

      it('sets a role on an existing account, and says null for an unknown one', () =>
        withStore(async (store) => {
          const user = await newUser(store);
          assert.deepEqual(await store.setUserRole(user.id, 'admin'), { ...user, role: 'admin' });
          assert.equal((await store.findUserByUsername('ALICE'))?.role, 'admin');
          assert.equal((await store.setUserRole(user.id, 'user'))?.role, 'user');
          assert.equal(await store.setUserRole('no-such-user', 'admin'), null);
          await assert.rejects(store.setUserRole(user.id, 'root' as 'admin'));
        }));

      it('finds users by name case-insensitively (NFKC) and keeps the spelling given', () =>
        withStore(async (store) => {
          const user = await newUser(store, 'Alice');
          for (const spelling of ['alice', 'ALICE', 'aLiCe', '\uFF21lice']) {
            assert.deepEqual(await store.findUserByUsername(spelling), user, spelling);
          }
          assert.equal((await store.findUserByUsername('alice'))?.username, 'Alice');
          assert.equal(await store.findUserByUsername('bob'), null);
        }));

      it('refuses a name taken in another case with UsernameTakenError, changing nothing', () =>
        withStore(async (store) => {
          await newUser(store, 'alice');
          await assert.rejects(newUser(store, 'ALICE'), (err: UsernameTakenError) => {
            assert.ok(err instanceof UsernameTakenError);
            assert.equal(err.code, 'username_taken');
            return true;
          });
          await assert.rejects(newUser(store, '\uFF41lice'), UsernameTakenError);
          assert.equal((await store.countUsersByState()).none, 1);
        }));

      it('lets exactly one of 50 concurrent sign-ups with one name succeed', () =>
        withStore(async (store, fixture) => {
          const handles = [store, ...(await Promise.all([1, 2, 3, 4].map(() => fixture.connect())))];
          const outcomes = await Promise.allSettled(
            Array.from({ length: 50 }, (_, i) => newUser(handles[i % handles.length], i % 2 === 0 ? 'Racer' : 'racer')),
          );
          const winners = outcomes.filter((o) => o.status === 'fulfilled');
          assert.equal(winners.length, 1);
          for (const o of outcomes) if (o.status === 'rejected') assert.ok(o.reason instanceof UsernameTakenError, String(o.reason));
          assert.equal((await store.countUsersByState()).none, 1);
        }));

      it('rejects malformed accounts with StoreInputError', () =>
        withStore(async (store) => {
          await assert.rejects(store.createUser({ username: '', email: 'e@x', passwordHash: 'h', now: T0 }), StoreInputError);
          await assert.rejects(store.createUser({ username: 'u', email: 'e@x', passwordHash: '', now: T0 }), StoreInputError);
          const badRole = { username: 'u', email: 'e@x', passwordHash: 'h', role: 'root', now: T0 } as unknown as Parameters<Store['createUser']>[0];
          await assert.rejects(store.createUser(badRole), StoreInputError);
          assert.equal(await store.findUserByUsername('u'), null);
        }));
    });

    describe('picks and state', () => {
      it('starts a user with state none and generation 0', () =>
        withStore(async (store) => {
          const user = await newUser(store);
          assert.deepEqual(await store.getUserStatus(user.id), {
            state: 'none', generation: 0, movieIds: [], runId: null, attempts: 0, error: null, updatedAt: T0,
          });
          assert.equal(await store.getUserStatus('no-such-user'), null);
        }));

      it('savePicks bumps the generation, makes the user pending and keeps the order of the picks', () =>
        withStore(async (store) => {
          const user = await newUser(store);
          const first = await store.savePicks(user.id, [5, 3, 9, 1, 7], T0 + 1);
          assert.deepEqual(first, { state: 'pending', generation: 1, movieIds: [5, 3, 9, 1, 7], runId: null, attempts: 0, error: null, updatedAt: T0 + 1 });
          const second = await store.savePicks(user.id, [2, 4, 6, 8, 10], T0 + 2);
          assert.equal(second.generation, 2);
          assert.deepEqual(await store.getUserStatus(user.id), second);
        }));

      it('rejects bad picks and unknown users without changing anything', () =>
        withStore(async (store) => {
          const user = await pendingUser(store, 'alice');
          const before = await store.getUserStatus(user.id);
          for (const bad of [[], [1, 2, 2], [0, 1], [1.5], [-3], ['7'] as unknown as number[]]) {
            await assert.rejects(store.savePicks(user.id, bad, T0 + 5), StoreInputError, JSON.stringify(bad));
          }
          await assert.rejects(store.savePicks('no-such-user', PICKS, T0), UserNotFoundError);
          assert.deepEqual(await store.getUserStatus(user.id), before);
        }));

      it('counts users by state, every state present', () =>
        withStore(async (store) => {
          assert.deepEqual(await store.countUsersByState(), { none: 0, pending: 0, running: 0, ready: 0, failed: 0 });
          await newUser(store, 'a');
          await pendingUser(store, 'b');
          await pendingUser(store, 'c');
          assert.deepEqual(await store.countUsersByState(), { none: 1, pending: 2, running: 0, ready: 0, failed: 0 });
        }));

      it('tells a pending user how many may be claimed before them, and nobody else a place', () =>
        withStore(async (store) => {
          const position = async (user: User) => (await store.getQueuedUserStatus(user.id))?.queuePosition;
          const idle = await newUser(store, 'idle');
          assert.equal(await position(idle), null, 'a user without picks is not queued');
          assert.equal(await store.getQueuedUserStatus('no-such-user'), null);
          const a = await pendingUser(store, 'a', T0 + 1);
          const b = await pendingUser(store, 'b', T0 + 2);
          const c = await pendingUser(store, 'c', T0 + 3);
          assert.deepEqual([await position(a), await position(b), await position(c)], [0, 1, 2]);
          assert.deepEqual(await store.getQueuedUserStatus(c.id), { ...(await store.getUserStatus(c.id))!, queuePosition: 2 });

          await store.createRun({ id: 'r', engine: 'e', now: T0 + 4, leaseUntil: T0 + MINUTE });
          assert.deepEqual((await store.claimPendingUsers('r', 1, T0 + 5)).map((u) => u.userId), [a.id]);
          assert.deepEqual([await position(a), await position(b), await position(c)], [null, 0, 1]);

          // New picks send b to the back; c may still count b's old place until the next claim (an upper bound).
          await store.savePicks(b.id, [7, 8, 9], T0 + 10);
          const [cAfter, bAfter] = [(await position(c))!, (await position(b))!];
          assert.ok(cAfter <= 1, `c is at most one place from the front, not ${cAfter}`);
          assert.ok(bAfter > cAfter, `b (${bAfter}) is behind c (${cAfter})`);

          assert.equal((await store.claimPendingUsers('r', 10, T0 + 11)).length, 2);
          const d = await pendingUser(store, 'd', T0 + 20);
          assert.equal(await position(d), 0, 'once everyone before is claimed, the next user is first');

          // A failed run's users (a, b and c) go to the back of the queue, behind d.
          await store.failRun('r', 'engine crashed', T0 + 30, 3);
          assert.equal(await position(d), 0);
          assert.deepEqual([await position(a), await position(b), await position(c)].sort(), [1, 2, 3]);
        }));

      it('puts a ready user whose reaction changes training back in the queue, behind those already waiting', () =>
        withStore(async (store) => {
          const alice = await pendingUser(store, 'alice', T0);
          await store.createRun({ id: 'r', engine: 'e', now: T0 + 1, leaseUntil: T0 + MINUTE });
          await store.claimPendingUsers('r', 10, T0 + 2);
          await store.completeRun('r', [{ userId: alice.id, generation: 1, candidates: candidates(10, 11) }], T0 + 3, { maxAttempts: 3 });
          const bob = await pendingUser(store, 'bob', T0 + 4);
          assert.equal((await store.getQueuedUserStatus(alice.id))?.queuePosition, null, 'ready: not queued');
          await store.saveReaction(alice.id, { movieId: 10, kind: 'seen', rating: 5 }, T0 + 5);
          assert.equal((await store.getQueuedUserStatus(bob.id))?.queuePosition, 0);
          assert.equal((await store.getQueuedUserStatus(alice.id))?.queuePosition, 1);
        }));

      it('says whether anyone is waiting', () =>
        withStore(async (store) => {
          assert.equal(await store.hasPendingUsers(), false, 'empty store');
          await newUser(store, 'idle');
          assert.equal(await store.hasPendingUsers(), false, 'a user without picks is not waiting');
          await pendingUser(store, 'a');
          await pendingUser(store, 'b', T0 + 1);
          assert.equal(await store.hasPendingUsers(), true);
          await store.createRun({ id: 'r', engine: 'e', now: T0 + 2, leaseUntil: T0 + MINUTE });
          await store.claimPendingUsers('r', 1, T0 + 3);
          assert.equal(await store.hasPendingUsers(), true, 'one still waits');
          await store.claimPendingUsers('r', 1, T0 + 4);
          assert.equal(await store.hasPendingUsers(), false, 'every pending user claimed');
        }));
    });

    describe('settings', () => {
      it('starts with nothing chosen, keeps a saved step, and leaves picks, state and recommendations alone', () =>
        withStore(async (store) => {
          const user = await pendingUser(store, 'alice');
          const quick = [{ movieId: 50, score: 0.9, because: 1 }];
          await store.saveQuickRecommendations(user.id, 1, quick, T0 + 1, 'itemsim');
          const status = await store.getUserStatus(user.id);
          assert.deepEqual(await store.getUserSettings(user.id), { discoveryStep: null });
          assert.equal(await store.getUserSettings('no-such-user'), null);

          assert.deepEqual(await store.saveUserSettings(user.id, { discoveryStep: 'discover' }), { discoveryStep: 'discover' });
          assert.deepEqual(await store.getUserSettings(user.id), { discoveryStep: 'discover' });
          assert.deepEqual(await store.saveUserSettings(user.id, { discoveryStep: 'familiar' }), { discoveryStep: 'familiar' });
          assert.deepEqual(await store.getUserSettings(user.id), { discoveryStep: 'familiar' });
          assert.deepEqual(await store.getUserStatus(user.id), status, 'a setting is not a change of picks');
          assert.deepEqual((await store.getQuickRecommendations(user.id))?.items, quick);

          await store.savePicks(user.id, [6, 7, 8, 9, 10], T0 + 2);
          assert.deepEqual(await store.getUserSettings(user.id), { discoveryStep: 'familiar' }, 'new picks keep the setting');
          assert.deepEqual(await store.saveUserSettings(user.id, { discoveryStep: null }), { discoveryStep: null });
          assert.deepEqual(await store.getUserSettings(user.id), { discoveryStep: null });
        }));

      it('keeps the setting of each user apart, and another connection sees it', () =>
        withStore(async (store, fixture) => {
          const alice = await newUser(store, 'alice');
          const bob = await newUser(store, 'bob');
          await store.saveUserSettings(alice.id, { discoveryStep: 'explore' });
          const other = await fixture.connect();
          assert.deepEqual(await other.getUserSettings(alice.id), { discoveryStep: 'explore' });
          assert.deepEqual(await other.getUserSettings(bob.id), { discoveryStep: null });
        }));

      it('rejects malformed settings and unknown users, changing nothing', () =>
        withStore(async (store) => {
          const user = await newUser(store);
          await store.saveUserSettings(user.id, { discoveryStep: 'balanced' });
          for (const bad of [{ discoveryStep: '' }, { discoveryStep: 2 }, { discoveryStep: 'x'.repeat(65) }, {}, null]) {
            await assert.rejects(
              store.saveUserSettings(user.id, bad as unknown as Parameters<Store['saveUserSettings']>[1]),
              StoreInputError,
              JSON.stringify(bad),
            );
          }
          await assert.rejects(store.saveUserSettings('no-such-user', { discoveryStep: 'balanced' }), UserNotFoundError);
          assert.equal(await store.getUserSettings('no-such-user'), null);
          assert.deepEqual(await store.getUserSettings(user.id), { discoveryStep: 'balanced' });
        }));
    });

    describe('quick recommendations', () => {
      const items = [{ movieId: 50, score: 0.9, because: 1 }, { movieId: 60, score: 0.5, because: 3 }];

      it('stores them for the current generation and drops them when the picks change', () =>
        withStore(async (store) => {
          const user = await pendingUser(store, 'alice');
          assert.equal(await store.getQuickRecommendations(user.id), null);
          assert.equal(await store.saveQuickRecommendations(user.id, 1, items, T0 + 1, 'itemsim'), true);
          assert.deepEqual(await store.getQuickRecommendations(user.id), { generation: 1, method: 'itemsim', items, createdAt: T0 + 1 });
          // Stored again for the same generation by another scorer: replaced, with that scorer.
          assert.equal(await store.saveQuickRecommendations(user.id, 1, items.slice(1), T0 + 3, 'blend'), true);
          assert.deepEqual(await store.getQuickRecommendations(user.id), { generation: 1, method: 'blend', items: items.slice(1), createdAt: T0 + 3 });
          await store.savePicks(user.id, [6, 7, 8, 9, 10], T0 + 2);
          assert.equal(await store.getQuickRecommendations(user.id), null);
        }));

      it('refuses results of an older generation (returns false, stores nothing)', () =>
        withStore(async (store) => {
          const user = await pendingUser(store, 'alice');
          await store.savePicks(user.id, [6, 7, 8, 9, 10], T0 + 1);
          assert.equal(await store.saveQuickRecommendations(user.id, 1, items, T0 + 2, 'itemsim'), false);
          assert.equal(await store.getQuickRecommendations(user.id), null);
        }));

      it('rejects malformed items and unknown users', () =>
        withStore(async (store) => {
          const user = await pendingUser(store, 'alice');
          await assert.rejects(store.saveQuickRecommendations(user.id, 1, [{ movieId: 5, score: NaN, because: 1 }], T0, 'itemsim'), StoreInputError);
          await assert.rejects(store.saveQuickRecommendations(user.id, 1, [items[0], items[0]], T0, 'itemsim'), StoreInputError);
          await assert.rejects(store.saveQuickRecommendations(user.id, 1, items, T0, ''), StoreInputError);
          await assert.rejects(store.saveQuickRecommendations('no-such-user', 1, items, T0, 'itemsim'), UserNotFoundError);
          assert.equal(await store.getQuickRecommendations(user.id), null);
        }));
    });

    describe('tick lease', () => {
      it('has one holder at a time, renews for its owner and is taken over after expiry', () =>
        withStore(async (store) => {
          assert.equal(await store.acquireTickLease('a', T0, MINUTE), true);
          assert.equal(await store.acquireTickLease('b', T0 + 1, MINUTE), false);
          assert.equal(await store.acquireTickLease('a', T0 + 30_000, MINUTE), true, 'renewal');
          assert.equal(await store.acquireTickLease('b', T0 + MINUTE + 1, MINUTE), false, 'the renewal moved the expiry');
          assert.equal(await store.acquireTickLease('b', T0 + 30_000 + MINUTE, MINUTE), true, 'takeover at expiry');
          assert.equal(await store.acquireTickLease('a', T0 + 30_001 + MINUTE, MINUTE), false);
        }));

      it('is released only by its holder', () =>
        withStore(async (store) => {
          await store.acquireTickLease('a', T0, MINUTE);
          assert.equal(await store.releaseTickLease('b'), false);
          assert.equal(await store.acquireTickLease('b', T0 + 1, MINUTE), false);
          assert.equal(await store.releaseTickLease('a'), true);
          assert.equal(await store.acquireTickLease('b', T0 + 2, MINUTE), true);
        }));

      it('goes to exactly one of several concurrent ticks', () =>
        withStore(async (store, fixture) => {
          const handles = [store, await fixture.connect(), await fixture.connect()];
          const got = await Promise.all(Array.from({ length: 9 }, (_, i) => handles[i % 3].acquireTickLease(`tick-${i}`, T0, MINUTE)));
          assert.equal(got.filter(Boolean).length, 1);
        }));
    });

    describe('runs', () => {
      it('creates a run, refuses a second one with the same id, and lists it as active', () =>
        withStore(async (store) => {
          const run = await store.createRun({ id: 'run-1', engine: 'inprocess', now: T0, leaseUntil: T0 + MINUTE });
          assert.deepEqual(run, {
            id: 'run-1', engine: 'inprocess', outcome: 'running', createdAt: T0, leaseUntil: T0 + MINUTE, finishedAt: null,
            users: 0, readyUsers: 0, retriedUsers: 0, failedUsers: 0, staleResults: 0, error: null, metrics: null,
          });
          await assert.rejects(store.createRun({ id: 'run-1', engine: 'x', now: T0, leaseUntil: T0 }), RunExistsError);
          assert.deepEqual(await store.getRun('run-1'), run);
          assert.equal(await store.getRun('run-2'), null);
          assert.deepEqual(await store.listActiveRuns(), [run]);
        }));

      it('claims pending users oldest first, up to the limit, into a running state', () =>
        withStore(async (store) => {
          const late = await pendingUser(store, 'late', T0 + 20);
          const early = await pendingUser(store, 'early', T0 + 10, [9, 8, 7, 6, 5]);
          await newUser(store, 'idle');
          await store.createRun({ id: 'r', engine: 'e', now: T0 + 30, leaseUntil: T0 + MINUTE });
          assert.deepEqual(await store.claimPendingUsers('r', 1, T0 + 31), [{ userId: early.id, generation: 1, movieIds: [9, 8, 7, 6, 5] }]);
          assert.deepEqual(await store.claimPendingUsers('r', 10, T0 + 32), [{ userId: late.id, generation: 1, movieIds: PICKS }]);
          assert.deepEqual(await store.claimPendingUsers('r', 10, T0 + 33), []);
          const status = await store.getUserStatus(early.id);
          assert.equal(status?.state, 'running');
          assert.equal(status?.runId, 'r');
          assert.equal((await store.getRun('r'))?.users, 2);
          await assert.rejects(store.claimPendingUsers('nope', 1, T0), RunNotFoundError);
        }));

      it('never hands one user to two concurrent claims', () =>
        withStore(async (store, fixture) => {
          const other = await fixture.connect();
          const ids: string[] = [];
          for (let i = 0; i < 20; i++) ids.push((await pendingUser(store, `u${i}`, T0 + i)).id);
          await store.createRun({ id: 'r1', engine: 'e', now: T0, leaseUntil: T0 + MINUTE });
          await store.createRun({ id: 'r2', engine: 'e', now: T0, leaseUntil: T0 + MINUTE });
          const claimAll = async (s: Store, runId: string) => {
            const got: string[] = [];
            for (let batch = await s.claimPendingUsers(runId, 3, T0 + 50); batch.length > 0; batch = await s.claimPendingUsers(runId, 3, T0 + 50)) {
              got.push(...batch.map((c) => c.userId));
            }
            return got;
          };
          const [a, b] = await Promise.all([claimAll(store, 'r1'), claimAll(other, 'r2')]);
          assert.equal(new Set([...a, ...b]).size, a.length + b.length, 'disjoint');
          assert.deepEqual([...a, ...b].sort(), [...ids].sort(), 'every pending user claimed once');
          assert.equal((await store.countUsersByState()).running, 20);
        }));

      it('completeRun stores the results, makes users ready and records the outcome', () =>
        withStore(async (store) => {
          const alice = await pendingUser(store, 'alice');
          const bob = await pendingUser(store, 'bob', T0 + 1);
          await store.createRun({ id: 'r', engine: 'inprocess', now: T0 + 2, leaseUntil: T0 + MINUTE });
          await store.claimPendingUsers('r', 10, T0 + 3);
          const run = await store.completeRun('r', [
            { userId: alice.id, generation: 1, candidates: candidates(10, 11, 12) },
            { userId: bob.id, generation: 1, candidates: candidates(20) },
          ], T0 + 4, { maxAttempts: 3, metrics: { trainMs: 120, loss: [3, 2] } });
          assert.equal(run.outcome, 'succeeded');
          assert.equal(run.finishedAt, T0 + 4);
          assert.deepEqual([run.users, run.readyUsers, run.retriedUsers, run.failedUsers, run.staleResults], [2, 2, 0, 0, 0]);
          assert.deepEqual(run.metrics, { trainMs: 120, loss: [3, 2] });
          assert.deepEqual(await store.getRecommendations(alice.id), { generation: 1, candidates: candidates(10, 11, 12), runId: 'r', createdAt: T0 + 4 });
          assert.deepEqual(await store.getUserStatus(alice.id), {
            state: 'ready', generation: 1, movieIds: PICKS, runId: null, attempts: 0, error: null, updatedAt: T0 + 4,
          });
          assert.deepEqual(await store.listActiveRuns(), []);
          await assert.rejects(store.completeRun('r', [], T0 + 5, { maxAttempts: 3 }), RunNotActiveError);
          await assert.rejects(store.claimPendingUsers('r', 1, T0 + 5), RunNotActiveError);
        }));

      it('completeRun keeps every candidate (300) with its score and because, in order', () =>
        withStore(async (store) => {
          const user = await pendingUser(store, 'alice');
          await store.createRun({ id: 'r', engine: 'e', now: T0, leaseUntil: T0 + MINUTE });
          await store.claimPendingUsers('r', 10, T0 + 1);
          const all = candidates(...Array.from({ length: 300 }, (_, i) => 1000 + i));
          await store.completeRun('r', [{ userId: user.id, generation: 1, candidates: all }], T0 + 2, { maxAttempts: 3 });
          assert.deepEqual((await store.getRecommendations(user.id))?.candidates, all);
        }));

      it('completeRun shows no stale result: a user whose picks changed stays pending for the new generation', () =>
        withStore(async (store) => {
          const user = await pendingUser(store, 'alice');
          await store.createRun({ id: 'r1', engine: 'e', now: T0, leaseUntil: T0 + MINUTE });
          await store.claimPendingUsers('r1', 10, T0 + 1);
          await store.savePicks(user.id, [6, 7, 8, 9, 10], T0 + 2);
          const run = await store.completeRun('r1', [{ userId: user.id, generation: 1, candidates: candidates(40) }], T0 + 3, { maxAttempts: 3 });
          assert.equal(run.staleResults, 1);
          assert.equal(run.readyUsers, 0);
          assert.equal(await store.getRecommendations(user.id), null);
          const status = await store.getUserStatus(user.id);
          assert.equal(status?.state, 'pending');
          assert.equal(status?.generation, 2);
          await store.createRun({ id: 'r2', engine: 'e', now: T0 + 4, leaseUntil: T0 + MINUTE });
          assert.deepEqual(await store.claimPendingUsers('r2', 10, T0 + 5), [{ userId: user.id, generation: 2, movieIds: [6, 7, 8, 9, 10] }]);
        }));

      it('completeRun retries a user the run returned nothing for', () =>
        withStore(async (store) => {
          const user = await pendingUser(store, 'alice');
          await store.createRun({ id: 'r', engine: 'e', now: T0, leaseUntil: T0 + MINUTE });
          await store.claimPendingUsers('r', 10, T0 + 1);
          const run = await store.completeRun('r', [], T0 + 2, { maxAttempts: 3 });
          assert.equal(run.retriedUsers, 1);
          const status = await store.getUserStatus(user.id);
          assert.equal(status?.state, 'pending');
          assert.equal(status?.attempts, 1);
        }));

      it('completeRun with a malformed result changes nothing', () =>
        withStore(async (store) => {
          const user = await pendingUser(store, 'alice');
          await store.createRun({ id: 'r', engine: 'e', now: T0, leaseUntil: T0 + MINUTE });
          await store.claimPendingUsers('r', 10, T0 + 1);
          const bad = [{ userId: user.id, generation: 1, candidates: [{ movieId: 3, score: Infinity, because: 1 }] }];
          await assert.rejects(store.completeRun('r', bad, T0 + 2, { maxAttempts: 3 }), StoreInputError);
          const unexplained = [{ userId: user.id, generation: 1, candidates: [{ movieId: 3, score: 1 }] as CandidateItem[] }];
          await assert.rejects(store.completeRun('r', unexplained, T0 + 2, { maxAttempts: 3 }), StoreInputError);
          assert.equal((await store.getRun('r'))?.outcome, 'running');
          assert.equal((await store.getUserStatus(user.id))?.state, 'running');
          assert.equal(await store.getRecommendations(user.id), null);
        }));

      it('failRun retries its users, then marks them failed after the last attempt; new picks start over', () =>
        withStore(async (store) => {
          const user = await pendingUser(store, 'alice');
          await store.createRun({ id: 'r1', engine: 'e', now: T0, leaseUntil: T0 + MINUTE });
          await store.claimPendingUsers('r1', 10, T0 + 1);
          const first = await store.failRun('r1', 'engine crashed', T0 + 2, 2);
          assert.deepEqual([first.outcome, first.error, first.finishedAt, first.retriedUsers, first.failedUsers], ['failed', 'engine crashed', T0 + 2, 1, 0]);
          assert.deepEqual(await store.getUserStatus(user.id), {
            state: 'pending', generation: 1, movieIds: PICKS, runId: null, attempts: 1, error: 'engine crashed', updatedAt: T0 + 2,
          });
          await store.createRun({ id: 'r2', engine: 'e', now: T0 + 3, leaseUntil: T0 + MINUTE });
          assert.equal((await store.claimPendingUsers('r2', 10, T0 + 4)).length, 1);
          const second = await store.failRun('r2', 'out of memory', T0 + 5, 2);
          assert.equal(second.failedUsers, 1);
          const failed = await store.getUserStatus(user.id);
          assert.deepEqual([failed?.state, failed?.attempts, failed?.error], ['failed', 2, 'out of memory']);
          await assert.rejects(store.failRun('r2', 'again', T0 + 6, 2), RunNotActiveError);
          const again = await store.savePicks(user.id, PICKS, T0 + 7);
          assert.deepEqual([again.state, again.generation, again.attempts, again.error], ['pending', 2, 0, null]);
        }));

      it('interruptRun sends its users back to pending with attempts and error unchanged, and spends no attempt', () =>
        withStore(async (store) => {
          const alice = await pendingUser(store, 'alice');
          const bob = await pendingUser(store, 'bob', T0 + 1);
          await store.createRun({ id: 'r1', engine: 'e', now: T0, leaseUntil: T0 + MINUTE });
          await store.claimPendingUsers('r1', 10, T0 + 2);
          await store.failRun('r1', 'engine crashed', T0 + 3, 3);
          for (let i = 2; i <= 6; i++) {
            await store.createRun({ id: `r${i}`, engine: 'e', now: T0 + 10 * i, leaseUntil: T0 + MINUTE });
            assert.equal((await store.claimPendingUsers(`r${i}`, 10, T0 + 10 * i + 1)).length, 2);
            const run = await store.interruptRun(`r${i}`, 'the app stopped', T0 + 10 * i + 2);
            assert.deepEqual(
              [run.outcome, run.error, run.finishedAt, run.users, run.readyUsers, run.retriedUsers, run.failedUsers],
              ['interrupted', 'the app stopped', T0 + 10 * i + 2, 2, 0, 2, 0],
            );
          }
          for (const user of [alice, bob]) {
            assert.deepEqual(await store.getUserStatus(user.id), {
              state: 'pending', generation: 1, movieIds: PICKS, runId: null, attempts: 1, error: 'engine crashed', updatedAt: T0 + 62,
            });
          }
          await assert.rejects(store.interruptRun('r6', 'again', T0 + 70), RunNotActiveError);
          await assert.rejects(store.interruptRun('nope', 'again', T0 + 70), RunNotFoundError);
          assert.deepEqual(await store.listActiveRuns(), []);
          assert.deepEqual((await store.listRuns({ limit: 10 })).map((r) => r.outcome), ['interrupted', 'interrupted', 'interrupted', 'interrupted', 'interrupted', 'failed']);
          // A user whose picks changed during the run has left it: interrupting it leaves that user alone.
          await store.createRun({ id: 'r7', engine: 'e', now: T0 + 80, leaseUntil: T0 + MINUTE });
          await store.claimPendingUsers('r7', 10, T0 + 81);
          await store.savePicks(bob.id, [6, 7, 8, 9, 10], T0 + 82);
          const last = await store.interruptRun('r7', 'the app stopped', T0 + 83);
          assert.equal(last.retriedUsers, 1);
          const moved = await store.getUserStatus(bob.id);
          assert.deepEqual([moved?.state, moved?.generation, moved?.attempts], ['pending', 2, 0]);
          await store.createRun({ id: 'r8', engine: 'e', now: T0 + 90, leaseUntil: T0 + MINUTE });
          assert.deepEqual((await store.claimPendingUsers('r8', 10, T0 + 91)).map((c) => c.userId).sort(), [alice.id, bob.id].sort());
        }));

      it('expireRuns fails runs past their lease; extendRunLease keeps a run alive', () =>
        withStore(async (store) => {
          const user = await pendingUser(store, 'alice');
          await store.createRun({ id: 'r', engine: 'e', now: T0, leaseUntil: T0 + MINUTE });
          await store.claimPendingUsers('r', 10, T0 + 1);
          assert.deepEqual(await store.expireRuns(T0 + MINUTE - 1, 3), []);
          assert.equal(await store.extendRunLease('r', T0 + 2 * MINUTE), true);
          assert.deepEqual(await store.expireRuns(T0 + MINUTE, 3), []);
          const [expired, ...rest] = await store.expireRuns(T0 + 2 * MINUTE, 3);
          assert.deepEqual(rest, []);
          assert.deepEqual([expired.id, expired.outcome, expired.error, expired.retriedUsers], ['r', 'failed', 'lease expired', 1]);
          const status = await store.getUserStatus(user.id);
          assert.deepEqual([status?.state, status?.attempts], ['pending', 1]);
          assert.equal(await store.extendRunLease('r', T0 + 3 * MINUTE), false);
          await assert.rejects(store.extendRunLease('nope', T0), RunNotFoundError);
        }));

      it('lists the history newest first, up to the limit', () =>
        withStore(async (store) => {
          for (let i = 0; i < 4; i++) await store.createRun({ id: `r${i}`, engine: 'e', now: T0 + i, leaseUntil: T0 + MINUTE });
          await store.failRun('r1', 'boom', T0 + 10, 3);
          assert.deepEqual((await store.listRuns({ limit: 3 })).map((r) => r.id), ['r3', 'r2', 'r1']);
          assert.deepEqual((await store.listActiveRuns()).map((r) => r.id), ['r0', 'r2', 'r3']);
        }));

      it('drops full recommendations when the picks change', () =>
        withStore(async (store) => {
          const user = await pendingUser(store, 'alice');
          await store.createRun({ id: 'r', engine: 'e', now: T0, leaseUntil: T0 + MINUTE });
          await store.claimPendingUsers('r', 10, T0 + 1);
          await store.completeRun('r', [{ userId: user.id, generation: 1, candidates: candidates(40) }], T0 + 2, { maxAttempts: 3 });
          assert.notEqual(await store.getRecommendations(user.id), null);
          await store.savePicks(user.id, [6, 7, 8, 9, 10], T0 + 3);
          assert.equal(await store.getRecommendations(user.id), null);
        }));
    });

    describe('reactions', () => {
      /** A user whose run has finished: ready, with candidates 10, 11, 12. */
      async function readyUser(store: Store, username: string): Promise<User> {
        const user = await pendingUser(store, username);
        await store.createRun({ id: `r-${username}`, engine: 'e', now: T0, leaseUntil: T0 + MINUTE });
        await store.claimPendingUsers(`r-${username}`, 10, T0 + 1);
        await store.completeRun(`r-${username}`, [{ userId: user.id, generation: 1, candidates: candidates(10, 11, 12) }], T0 + 2, { maxAttempts: 3 });
        return user;
      }

      it('keeps one reaction per movie, the latest, listed newest first', () =>
        withStore(async (store) => {
          const user = await newUser(store);
          assert.deepEqual(await store.listReactions(user.id), []);
          await store.saveReaction(user.id, { movieId: 10, kind: 'watchlist', rating: null }, T0 + 1);
          await store.saveReaction(user.id, { movieId: 11, kind: 'not_interested', rating: null }, T0 + 2);
          await store.saveReaction(user.id, { movieId: 10, kind: 'seen', rating: 4 }, T0 + 3);
          await store.saveReaction(user.id, { movieId: 12, kind: 'seen', rating: null }, T0 + 3);
          assert.deepEqual(await store.listReactions(user.id), [
            { movieId: 10, kind: 'seen', rating: 4, updatedAt: T0 + 3 },
            { movieId: 12, kind: 'seen', rating: null, updatedAt: T0 + 3 },
            { movieId: 11, kind: 'not_interested', rating: null, updatedAt: T0 + 2 },
          ]);
          assert.equal(await store.deleteReaction(user.id, 11, T0 + 4), true);
          assert.equal(await store.deleteReaction(user.id, 11, T0 + 5), false);
          assert.deepEqual((await store.listReactions(user.id)).map((r) => r.movieId), [10, 12]);
          const other = await newUser(store, 'bob');
          assert.deepEqual(await store.listReactions(other.id), []);
        }));

      it('sends a ready user back to pending on seen or not interested, keeping generation and recommendations', () =>
        withStore(async (store) => {
          const user = await readyUser(store, 'alice');
          const kept = await store.getRecommendations(user.id);
          const status = await store.saveReaction(user.id, { movieId: 11, kind: 'not_interested', rating: null }, T0 + 10);
          assert.deepEqual(status, { state: 'pending', generation: 1, movieIds: PICKS, runId: null, attempts: 0, error: null, updatedAt: T0 + 10 });
          assert.deepEqual(await store.getUserStatus(user.id), status);
          assert.deepEqual(await store.getRecommendations(user.id), kept);
          await store.createRun({ id: 'next', engine: 'e', now: T0 + 11, leaseUntil: T0 + MINUTE });
          assert.deepEqual(await store.claimPendingUsers('next', 10, T0 + 12), [{ userId: user.id, generation: 1, movieIds: PICKS }]);
        }));

      it('leaves the state alone for the watchlist and for a reaction saved again unchanged', () =>
        withStore(async (store) => {
          const user = await readyUser(store, 'alice');
          assert.equal((await store.saveReaction(user.id, { movieId: 11, kind: 'watchlist', rating: null }, T0 + 10)).state, 'ready');
          assert.equal(await store.deleteReaction(user.id, 11, T0 + 11), true);
          assert.equal((await store.getUserStatus(user.id))?.state, 'ready');
          const other = await readyUser(store, 'bob');
          await store.saveReaction(other.id, { movieId: 12, kind: 'seen', rating: 5 }, T0 + 10);
          await store.createRun({ id: 'again', engine: 'e', now: T0 + 11, leaseUntil: T0 + MINUTE });
          await store.claimPendingUsers('again', 10, T0 + 12);
          await store.completeRun('again', [{ userId: other.id, generation: 1, candidates: candidates(10, 11) }], T0 + 13, { maxAttempts: 3 });
          assert.equal((await store.saveReaction(other.id, { movieId: 12, kind: 'seen', rating: 5 }, T0 + 14)).state, 'ready');
          assert.equal((await store.saveReaction(other.id, { movieId: 12, kind: 'seen', rating: 3 }, T0 + 15)).state, 'pending');
        }));

      it('makes the result of a run already computing for the user stale, so the next run uses the reaction', () =>
        withStore(async (store) => {
          const user = await pendingUser(store, 'alice');
          await store.createRun({ id: 'r', engine: 'e', now: T0, leaseUntil: T0 + MINUTE });
          await store.claimPendingUsers('r', 10, T0 + 1);
          await store.saveReaction(user.id, { movieId: 40, kind: 'seen', rating: null }, T0 + 2);
          const run = await store.completeRun('r', [{ userId: user.id, generation: 1, candidates: candidates(40) }], T0 + 3, { maxAttempts: 3 });
          assert.equal(run.staleResults, 1);
          assert.equal((await store.getUserStatus(user.id))?.state, 'pending');
          assert.equal(await store.getRecommendations(user.id), null);
        }));

      it('rejects malformed reactions and unknown users, changing nothing', () =>
        withStore(async (store) => {
          const user = await readyUser(store, 'alice');
          const bad: unknown[] = [
            { movieId: 0, kind: 'seen', rating: null },
            { movieId: 1.5, kind: 'seen', rating: null },
            { movieId: 10, kind: 'loved', rating: null },
            { movieId: 10, kind: 'seen', rating: 0 },
            { movieId: 10, kind: 'seen', rating: 6 },
            { movieId: 10, kind: 'seen', rating: 3.5 },
            { movieId: 10, kind: 'watchlist', rating: 4 },
            null,
          ];
          for (const reaction of bad) {
            await assert.rejects(store.saveReaction(user.id, reaction as never, T0 + 10), StoreInputError, JSON.stringify(reaction));
          }
          await assert.rejects(store.saveReaction('no-such-user', { movieId: 10, kind: 'seen', rating: null }, T0 + 10), UserNotFoundError);
          await assert.rejects(store.deleteReaction(user.id, -1, T0 + 10), StoreInputError);
          assert.equal(await store.deleteReaction('no-such-user', 10, T0 + 10), false);
          assert.deepEqual(await store.listReactions(user.id), []);
          assert.equal((await store.getUserStatus(user.id))?.state, 'ready');
        }));
    });

    describe('posters', () => {
      it('returns the records of the ids asked for, leaves out ids without one, and replaces a record on save', () =>
        withStore(async (store) => {
          assert.deepEqual(await store.getPosters([]), new Map());
          assert.deepEqual(await store.getPosters([1, 2]), new Map());
          await store.savePoster({ movieId: 1, path: '/toy-story.jpg', checkedAt: T0 });
          await store.savePoster({ movieId: 2, path: null, checkedAt: T0 + 1 });
          const found = await store.getPosters([2, 1, 3, 1]);
          assert.ok(found instanceof Map);
          assert.deepEqual([...found.keys()].sort(), [1, 2]);
          assert.deepEqual(found.get(1), { movieId: 1, path: '/toy-story.jpg', checkedAt: T0 });
          assert.deepEqual(found.get(2), { movieId: 2, path: null, checkedAt: T0 + 1 }, 'null remembers "TMDB has no poster"');
          await store.savePoster({ movieId: 2, path: '/found-later.jpg', checkedAt: T0 + 2 });
          await store.savePoster({ movieId: 1, path: null, checkedAt: T0 + 3 });
          assert.deepEqual(await store.getPosters([1, 2]), new Map([
            [1, { movieId: 1, path: null, checkedAt: T0 + 3 }],
            [2, { movieId: 2, path: '/found-later.jpg', checkedAt: T0 + 2 }],
          ]));
        }));

      it('keeps exactly the fields of the record', () =>
        withStore(async (store) => {
          const extra = { movieId: 7, path: '/p.jpg', checkedAt: T0, url: 'https://example.com/x' } as unknown as Parameters<Store['savePoster']>[0];
          await store.savePoster(extra);
          assert.deepEqual((await store.getPosters([7])).get(7), { movieId: 7, path: '/p.jpg', checkedAt: T0 });
        }));

      it('takes up to MAX_POSTER_IDS ids at once', () =>
        withStore(async (store) => {
          const ids = Array.from({ length: MAX_POSTER_IDS }, (_, i) => i + 1);
          await store.savePoster({ movieId: MAX_POSTER_IDS, path: '/last.jpg', checkedAt: T0 });
          assert.deepEqual([...(await store.getPosters(ids)).keys()], [MAX_POSTER_IDS]);
          await assert.rejects(store.getPosters([...ids, MAX_POSTER_IDS + 1]), StoreInputError);
        }));

      it('rejects malformed ids and records with StoreInputError, storing nothing', () =>
        withStore(async (store) => {
          for (const bad of [[0], [-1], [1.5], ['1'], [Number.NaN]] as unknown as number[][]) {
            await assert.rejects(store.getPosters(bad), StoreInputError, JSON.stringify(bad));
          }
          await assert.rejects(store.getPosters('1' as unknown as number[]), StoreInputError);
          const badRecords = [
            { movieId: 0, path: '/a.jpg', checkedAt: T0 },
            { movieId: 1, path: '', checkedAt: T0 },
            { movieId: 1, path: 'x'.repeat(513), checkedAt: T0 },
            { movieId: 1, path: 42, checkedAt: T0 },
            { movieId: 1, checkedAt: T0 },
            { movieId: 1, path: '/a.jpg', checkedAt: -1 },
            { movieId: 1, path: '/a.jpg', checkedAt: 1.5 },
            null,
          ] as unknown as Parameters<Store['savePoster']>[0][];
          for (const bad of badRecords) await assert.rejects(store.savePoster(bad), StoreInputError, JSON.stringify(bad));
          assert.deepEqual(await store.getPosters([1]), new Map());
        }));

      it('keeps the records across a close and a reopen', () =>
        withStore(async (store, fixture) => {
          await store.savePoster({ movieId: 3, path: '/kept.jpg', checkedAt: T0 });
          await store.savePoster({ movieId: 4, path: null, checkedAt: T0 });
          await store.close();
          await assert.rejects(store.getPosters([3]), StoreUnavailableError);
          await assert.rejects(store.savePoster({ movieId: 5, path: null, checkedAt: T0 }), StoreUnavailableError);
          const reopened = await fixture.connect();
          assert.deepEqual(await reopened.getPosters([3, 4]), new Map([
            [3, { movieId: 3, path: '/kept.jpg', checkedAt: T0 }],
            [4, { movieId: 4, path: null, checkedAt: T0 }],
          ]));
        }));
    });

    describe('sessions', () => {
      it('reads a session until it expires; touch moves the expiry', () =>
        withStore(async (store) => {
          const data = { cookie: { maxAge: 1000 }, userId: 'u1', flash: ['hi'] };
          await store.setSession('s1', data, T0 + 100);
          assert.deepEqual(await store.getSession('s1', T0 + 99), data);
          assert.equal(await store.getSession('s1', T0 + 100), null);
          assert.equal(await store.touchSession('s1', T0 + 200), true);
          assert.deepEqual(await store.getSession('s1', T0 + 150), data);
          assert.equal(await store.touchSession('missing', T0 + 200), false);
          assert.equal(await store.getSession('missing', T0), null);
        }));

      it('replaces, destroys and prunes sessions', () =>
        withStore(async (store) => {
          await store.setSession('s1', { n: 1 }, T0 + 100);
          await store.setSession('s1', { n: 2 }, T0 + 100);
          assert.deepEqual(await store.getSession('s1', T0), { n: 2 });
          await store.destroySession('s1');
          await store.destroySession('s1');
          assert.equal(await store.getSession('s1', T0), null);
          await store.setSession('old1', { n: 1 }, T0 + 10);
          await store.setSession('old2', { n: 1 }, T0 + 20);
          await store.setSession('live', { n: 1 }, T0 + 30);
          assert.equal(await store.pruneExpiredSessions(T0 + 20), 2);
          assert.deepEqual(await store.getSession('live', T0 + 20), { n: 1 });
        }));

      it('rejects session data that is not a JSON object', () =>
        withStore(async (store) => {
          await assert.rejects(store.setSession('s', [] as unknown as Record<string, unknown>, T0), StoreInputError);
          const cyclic: Record<string, unknown> = {};
          cyclic.self = cyclic;
          await assert.rejects(store.setSession('s', cyclic, T0 + 10), StoreInputError);
          assert.equal(await store.getSession('s', T0), null);
        }));
    });

    describe('rate limits', () => {
      it('counts attempts in a fixed window: the expiry stays, and an expired key starts again at 1', () =>
        withStore(async (store) => {
          assert.equal(await store.getAttempts('login:1.2.3.4', T0), null);
          assert.deepEqual(await store.countAttempt('login:1.2.3.4', T0, MINUTE, false), { count: 1, lastAt: T0, expiresAt: T0 + MINUTE });
          assert.deepEqual(await store.countAttempt('login:1.2.3.4', T0 + 10, MINUTE, false), { count: 2, lastAt: T0 + 10, expiresAt: T0 + MINUTE });
          assert.deepEqual(await store.getAttempts('login:1.2.3.4', T0 + MINUTE - 1), { count: 2, lastAt: T0 + 10, expiresAt: T0 + MINUTE });
          assert.equal(await store.getAttempts('login:1.2.3.4', T0 + MINUTE), null);
          assert.deepEqual(await store.countAttempt('login:1.2.3.4', T0 + MINUTE, MINUTE, false), { count: 1, lastAt: T0 + MINUTE, expiresAt: T0 + 2 * MINUTE });
          assert.equal(await store.getAttempts('login:5.6.7.8', T0), null, 'keys are apart');
        }));

      it('counts attempts in a sliding window: each one moves the expiry', () =>
        withStore(async (store) => {
          await store.countAttempt('account:oscar', T0, MINUTE, true);
          assert.deepEqual(await store.countAttempt('account:oscar', T0 + 50_000, MINUTE, true), { count: 2, lastAt: T0 + 50_000, expiresAt: T0 + 110_000 });
          assert.equal((await store.getAttempts('account:oscar', T0 + 100_000))?.count, 2);
        }));

      it('takes attempts back (not below 0), clears and prunes keys', () =>
        withStore(async (store) => {
          await store.countAttempt('a', T0, MINUTE, false);
          await store.countAttempt('a', T0, MINUTE, false);
          await store.uncountAttempt('a', T0 + 1);
          assert.equal((await store.getAttempts('a', T0 + 1))?.count, 1);
          await store.uncountAttempt('a', T0 + 1);
          await store.uncountAttempt('a', T0 + 1);
          assert.equal((await store.getAttempts('a', T0 + 1))?.count, 0);
          await store.uncountAttempt('missing', T0);
          assert.equal(await store.getAttempts('missing', T0), null);
          await store.clearAttempts('a');
          await store.clearAttempts('a');
          assert.equal(await store.getAttempts('a', T0), null);
          await store.countAttempt('old1', T0, 10, false);
          await store.countAttempt('old2', T0, 20, false);
          await store.countAttempt('live', T0, 30, false);
          assert.equal(await store.pruneExpiredAttempts(T0 + 20), 2);
          assert.equal((await store.getAttempts('live', T0 + 20))?.count, 1);
        }));

      it('counts every one of 20 concurrent attempts from two handles, each answer including its own', () =>
        withStore(async (store, fixture) => {
          const other = await fixture.connect();
          const counts = await Promise.all(
            Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? store : other).countAttempt('login:9.9.9.9', T0 + i, MINUTE, false)),
          );
          // An answer may include attempts made at the same moment, never fewer than its own place in the line.
          assert.ok(counts.every((c) => c.count >= 1 && c.count <= 20), counts.map((c) => c.count).join());
          assert.equal(Math.max(...counts.map((c) => c.count)), 20);
          assert.equal((await other.getAttempts('login:9.9.9.9', T0 + 20))?.count, 20);
        }));

      it('keeps the most recent addresses an account logged in from', () =>
        withStore(async (store) => {
          assert.equal(await store.isKnownLoginAddress('oscar', '10.0.0.1'), false);
          for (const [i, address] of ['10.0.0.1', '10.0.0.2', '10.0.0.3'].entries()) await store.rememberLoginAddress('oscar', address, 2, T0 + i);
          assert.deepEqual(
            await Promise.all(['10.0.0.1', '10.0.0.2', '10.0.0.3'].map((a) => store.isKnownLoginAddress('oscar', a))),
            [false, true, true],
          );
          await store.rememberLoginAddress('oscar', '10.0.0.2', 2, T0 + 10);
          await store.rememberLoginAddress('oscar', '10.0.0.4', 2, T0 + 11);
          assert.equal(await store.isKnownLoginAddress('oscar', '10.0.0.2'), true, 'a renewed address is recent again');
          assert.equal(await store.isKnownLoginAddress('oscar', '10.0.0.3'), false);
          assert.equal(await store.isKnownLoginAddress('other', '10.0.0.2'), false, 'accounts are apart');
        }));

      it('rejects a malformed key or window', () =>
        withStore(async (store) => {
          await assert.rejects(store.countAttempt('', T0, MINUTE, false), StoreInputError);
          await assert.rejects(store.countAttempt('k', T0, 0, false), StoreInputError);
          await assert.rejects(store.countAttempt('k', T0, MINUTE, 'yes' as unknown as boolean), StoreInputError);
          await assert.rejects(store.rememberLoginAddress('oscar', '10.0.0.1', 0, T0), StoreInputError);
          assert.equal(await store.getAttempts('k', T0), null);
        }));
    });

    describe('life cycle', () => {
      it('answers ping while open and rejects every call with StoreUnavailableError once closed', () =>
        withStore(async (store) => {
          await store.ping();
          await store.close();
          await store.close();
          await assert.rejects(store.ping(), StoreUnavailableError);
          await assert.rejects(store.getUser('x'), StoreUnavailableError);
          await assert.rejects(store.claimPendingUsers('r', 1, T0), StoreUnavailableError);
        }));

      it('keeps everything across a close and a reopen', () =>
        withStore(async (store, fixture) => {
          const user = await pendingUser(store, 'alice');
          await store.saveQuickRecommendations(user.id, 1, [{ movieId: 9, score: 1, because: 1 }], T0, 'itemsim');
          await store.createRun({ id: 'r', engine: 'e', now: T0, leaseUntil: T0 + MINUTE });
          await store.claimPendingUsers('r', 10, T0 + 1);
          await store.setSession('s', { userId: user.id }, T0 + MINUTE);
          await store.acquireTickLease('a', T0, MINUTE);
          await store.close();
          const reopened = await fixture.connect();
          assert.deepEqual(await reopened.findUserByUsername('ALICE'), user);
          assert.equal(await reopened.getPasswordHash(user.id), 'hash:alice');
          assert.equal((await reopened.getUserStatus(user.id))?.runId, 'r');
          assert.equal((await reopened.getQuickRecommendations(user.id))?.items.length, 1);
          assert.equal((await reopened.getRun('r'))?.users, 1);
          assert.deepEqual(await reopened.getSession('s', T0), { userId: user.id });
          assert.equal(await reopened.acquireTickLease('b', T0 + 1, MINUTE), false);
          await assert.rejects(newUser(reopened, 'Alice'), UsernameTakenError);
        }));
    });
  });
}
