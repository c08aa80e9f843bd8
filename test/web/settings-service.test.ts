import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_DISCOVERY_STEP, DISCOVERY_STEPS, discoveryStepInput, discoveryStepOf } from '../../src/services/discovery.js';
import { NotFoundError, ValidationError } from '../../src/services/errors.js';
import { createSettings } from '../../src/services/settings.js';
import { openSqliteStore } from '../../src/store/index.js';

const STEP_RULE = 'Choose one of familiar, balanced, explore, discover (most familiar to most discovery).';

async function withUser(body: (settings: ReturnType<typeof createSettings>, userId: string) => Promise<void>) {
  const store = await openSqliteStore(':memory:');
  try {
    const user = await store.createUser({ username: 'alice', email: 'a@example.com', passwordHash: 'h', now: 1 });
    await body(createSettings({ store }), user.id);
  } finally {
    await store.close();
  }
}

test("the re-ranker's steps, the default among them; a step comes by its name", () => {
  assert.deepEqual([...DISCOVERY_STEPS], ['familiar', 'balanced', 'explore', 'discover']);
  assert.ok(DISCOVERY_STEPS.includes(DEFAULT_DISCOVERY_STEP));
  assert.equal(discoveryStepInput.parse('explore'), 'explore');
  for (const bad of [2, 'Discover', ' discover', 'x', '', null, true, ['discover']]) {
    const parsed = discoveryStepInput.safeParse(bad);
    assert.equal(parsed.success, false, JSON.stringify(bad));
    assert.equal(parsed.error?.issues[0].message, STEP_RULE, JSON.stringify(bad));
  }
});

test('a stored step never chosen, or one this code no longer has, is the default', () => {
  assert.equal(discoveryStepOf(null), DEFAULT_DISCOVERY_STEP);
  assert.equal(discoveryStepOf('wander'), DEFAULT_DISCOVERY_STEP);
  assert.equal(discoveryStepOf('familiar'), 'familiar');
  assert.equal(discoveryStepOf('discover'), 'discover');
});

test('settings: the default until saved, then the saved step; an unknown user is NotFoundError', () =>
  withUser(async (settings, userId) => {
    assert.deepEqual(await settings.get(userId), { discoveryStep: DEFAULT_DISCOVERY_STEP });
    assert.deepEqual(await settings.save(userId, { discoveryStep: 'discover' }), { discoveryStep: 'discover' });
    assert.deepEqual(await settings.get(userId), { discoveryStep: 'discover' });
    assert.deepEqual(await settings.save(userId, { discoveryStep: 'familiar' }), { discoveryStep: 'familiar' });
    assert.deepEqual(await settings.get(userId), { discoveryStep: 'familiar' });
    await assert.rejects(settings.get('no-such-user'), NotFoundError);
    await assert.rejects(settings.save('no-such-user', { discoveryStep: 'balanced' }), NotFoundError);
  }));

test('bad input is a ValidationError naming discoveryStep (in its issues and its message); nothing is saved', () =>
  withUser(async (settings, userId) => {
    await settings.save(userId, { discoveryStep: 'explore' });
    for (const body of [{ discoveryStep: 5 }, { discoveryStep: 'most' }, { discoveryStep: null }, {}, { discoveryStep: 'EXPLORE' }]) {
      await assert.rejects(settings.save(userId, body), (err: ValidationError) => {
        assert.ok(err instanceof ValidationError, JSON.stringify(body));
        assert.deepEqual(err.issues, [{ field: 'discoveryStep', message: STEP_RULE }], JSON.stringify(body));
        assert.equal(err.message, `discoveryStep: ${STEP_RULE}`);
        return true;
      });
    }
    await assert.rejects(settings.save(userId, 'step 4'), (err: ValidationError) => err.issues?.[0].field === 'body');
    assert.deepEqual(await settings.get(userId), { discoveryStep: 'explore' });
  }));
