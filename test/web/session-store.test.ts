import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promisify } from 'node:util';
import type session from 'express-session';
import { openSqliteStore } from '../../src/store/index.js';
import { StoreSessionStore } from '../../src/web/session-store.js';

const call = (fn: (done: (err?: unknown) => void) => void) => promisify(fn)();

test('rolling expiry is written at most once per twentieth of the lifetime per session, so requests do not each write the store', async () => {
  const store = await openSqliteStore(':memory:');
  let now = 1_000_000;
  const sessions = new StoreSessionStore(store, 3_600_000, () => now); // a twentieth: 3 minutes
  const data = (expiresAt: number) => ({ cookie: { expires: new Date(expiresAt) } }) as unknown as session.SessionData;

  await call((done) => sessions.set('sid', data(now + 100_000), done));
  now += 170_000; // within the 3 minutes: the expiry stays where set() put it
  await call((done) => sessions.touch('sid', data(now + 200_000), done));
  assert.equal(await store.getSession('sid', 1_000_000 + 150_000), null, 'a touch within the 3 minutes wrote the store');

  await call((done) => sessions.set('sid', data(now + 100_000), done));
  now += 181_000; // past the 3 minutes: the expiry moves
  await call((done) => sessions.touch('sid', data(now + 500_000), done));
  assert.notEqual(await store.getSession('sid', now + 400_000), null, 'a touch after 3 minutes did not move the expiry');
  await store.close();
});
