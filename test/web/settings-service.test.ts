import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_DISCOVERY_STEP, DISCOVERY_STEPS, discoveryStepInput, discoveryStepOf } from '../../src/services/discovery.js';
import { NotFoundError, ValidationError } from '../../src/services/errors.js';
import { createSettings } from '../../src/services/settings.js';
import { openSqliteStore } from '../../src/store/index.js';

const STEP_RULE = 'Choose a step from 0 (most familiar) to 4 (most discovery).';

async function withUser(body: (settings: ReturnType<typeof createSettings>, userId: string) => Promise<void>) {
  const store = await openSqliteStore(':memory:');
  try {
    const user = await store.createUser({ username: 'alice', email: 'a@example.com', passwordHash: 'h', now: 1 });
    await body(createSettings({ store }), user.id);
  } finally {
    await store.close();
  }
}

test('five steps, the default among them; a step comes as a number (JSON) or digits (a form)', () => {
  assert.deepEqual([...DISCOVERY_STEPS], [0, 1, 2, 3, 4]);
  assert.ok(DISCOVERY_STEPS.includes(DEFAULT_DISCOVERY_STEP));
  assert.equal(discoveryStepInput.parse(3), 3);
  assert.equal(discoveryStepInput.parse('0'), 0);
  for (const bad of [5, -1, 1.5, '4.0', 'x', '', null, true, [2]]) {
    const parsed = discoveryStepInput.safeParse(bad);
    assert.equal(parsed.success, false, JSON.stringify(bad));
    assert.equal(parsed.error?.issues[0].message, STEP_RULE, JSON.stringify(bad));
  }
});

test('a stored step never chosen, or one this code no longer has, is the default', () => {
  assert.equal(discoveryStepOf(null), DEFAULT_DISCOVERY_STEP);
  assert.equal(discoveryStepOf(7), DEFAULT_DISCOVERY_STEP);
  assert.equal(discoveryStepOf(0), 0);
  assert.equal(discoveryStepOf(4), 4);
});

test('settings: the default until saved, then the saved step; an unknown user is NotFoundError', () =>
  withUser(async (settings, userId) => {
    assert.deepEqual(await settings.get(userId), { discoveryStep: DEFAULT_DISCOVERY_STEP });
    assert.deepEqual(await settings.save(userId, { discoveryStep: 4 }), { discoveryStep: 4 });
    assert.deepEqual(await settings.get(userId), { discoveryStep: 4 });
    assert.deepEqual(await settings.save(userId, { discoveryStep: '1' }), { discoveryStep: 1 });
    assert.deepEqual(await settings.get(userId), { discoveryStep: 1 });
    await assert.rejects(settings.get('no-such-user'), NotFoundError);
    await assert.rejects(settings.save('no-such-user', { discoveryStep: 2 }), NotFoundError);
  }));

test('bad input is a ValidationError naming discoveryStep (in its issues and its message); nothing is saved', () =>
  withUser(async (settings, userId) => {
    await settings.save(userId, { discoveryStep: 3 });
    for (const body of [{ discoveryStep: 5 }, { discoveryStep: 'most' }, { discoveryStep: null }, {}, { discoveryStep: 2.5 }]) {
      await assert.rejects(settings.save(userId, body), (err: ValidationError) => {
        assert.ok(err instanceof ValidationError, JSON.stringify(body));
        assert.deepEqual(err.issues, [{ field: 'discoveryStep', message: STEP_RULE }], JSON.stringify(body));
        assert.equal(err.message, `discoveryStep: ${STEP_RULE}`);
        return true;
      });
    }
    await assert.rejects(settings.save(userId, 'step 4'), (err: ValidationError) => err.issues?.[0].field === 'body');
    assert.deepEqual(await settings.get(userId), { discoveryStep: 3 });
  }));
