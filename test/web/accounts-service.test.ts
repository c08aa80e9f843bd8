import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createAccounts, type Accounts } from '../../src/services/accounts.js';
import { ConflictError, InvalidCredentialsError, ValidationError } from '../../src/services/errors.js';
import { openSqliteStore, type Store } from '../../src/store/index.js';

/** The fields a ValidationError names, for `input`. */
async function invalidFields(promise: Promise<unknown>): Promise<string[]> {
  const err = await promise.then(
    () => assert.fail('expected a ValidationError'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ValidationError);
  return (err.issues ?? []).map((issue) => issue.field).sort();
}

describe('accounts service', () => {
  let store: Store;
  let accounts: Accounts;
  before(async () => {
    store = await openSqliteStore(':memory:');
    accounts = createAccounts({ store, bcryptCost: 4 });
  });
  after(() => store.close());

  test('usernames: 3 to 32 of letters, digits and _ . - ; surrounding spaces are trimmed', async () => {
    const base = { email: 'u@example.com', password: 'password1' };
    for (const username of ['ab', 'a'.repeat(33), 'with space', 'émile', 'semi;colon', '']) {
      assert.deepEqual(await invalidFields(accounts.signUp({ ...base, username })), ['username'], username);
    }
    const user = await accounts.signUp({ ...base, username: '  a.b_c-9  ' });
    assert.equal(user.username, 'a.b_c-9');
    const longest = await accounts.signUp({ ...base, username: 'z'.repeat(32) });
    assert.equal(longest.username.length, 32);
  });

  test('emails and passwords are checked; the password length counts UTF-8 bytes', async () => {
    const base = { username: 'checker', email: 'c@example.com', password: 'password1' };
    assert.deepEqual(await invalidFields(accounts.signUp({ ...base, email: 'no-at-sign' })), ['email']);
    assert.deepEqual(await invalidFields(accounts.signUp({ ...base, password: 'seven77' })), ['password']);
    assert.deepEqual(await invalidFields(accounts.signUp({ ...base, password: 'x'.repeat(73) })), ['password']);
    assert.deepEqual(await invalidFields(accounts.signUp({ ...base, password: '😀'.repeat(18) + 'x' })), ['password']); // 73 bytes
    assert.deepEqual(await invalidFields(accounts.signUp({ ...base, password: 12345678 })), ['password']);
    assert.deepEqual(await invalidFields(accounts.signUp(null)), ['body']);
    const user = await accounts.signUp({ ...base, password: '😀'.repeat(18) }); // exactly 72 bytes
    assert.equal((await accounts.logIn({ username: 'checker', password: '😀'.repeat(18) })).id, user.id);
  });

  test('two sign-ups racing for one name (in different case): one wins, the other is a conflict', async () => {
    const results = await Promise.allSettled([
      accounts.signUp({ username: 'racer', email: 'r1@example.com', password: 'password1' }),
      accounts.signUp({ username: 'RACER', email: 'r2@example.com', password: 'password2' }),
    ]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    const lost = results.find((r) => r.status === 'rejected');
    assert.ok(lost && lost.reason instanceof ConflictError);
  });

  test('log-in: the same error for a wrong password, an unknown user and a password too long to be real', async () => {
    await accounts.signUp({ username: 'logger', email: 'l@example.com', password: 'password1' });
    assert.equal((await accounts.logIn({ username: 'LOGGER', password: 'password1' })).username, 'logger');
    for (const attempt of [
      { username: 'logger', password: 'password2' },
      { username: 'nobody', password: 'password1' },
      { username: 'logger', password: 'password1' + 'x'.repeat(80) },
      { username: 'n'.repeat(1000), password: 'password1' },
    ]) {
      await assert.rejects(accounts.logIn(attempt), (err: unknown) => {
        assert.ok(err instanceof InvalidCredentialsError);
        assert.equal(err.message, 'Wrong username or password.');
        return true;
      });
    }
    assert.deepEqual(await invalidFields(accounts.logIn({ username: ' ', password: '' })), ['password', 'username']);
  });
});
