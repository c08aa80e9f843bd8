import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { alice, apiToken, makeApp, sessionCookie, sessionIdOf, signedUp, type TestApp } from './support.js';

describe('accounts over the JSON API', () => {
  let t: TestApp;
  before(async () => {
    t = await makeApp();
  });
  after(() => t.close());

  test('sign up → session → log out → log in', async () => {
    const agent = request.agent(t.app);
    const anonymous = await agent.get('/api/v1/session').expect(200);
    assert.equal(anonymous.body.user, null);
    assert.equal(typeof anonymous.body.csrfToken, 'string');

    const created = await agent
      .post('/api/v1/users')
      .set('X-CSRF-Token', anonymous.body.csrfToken)
      .send({ username: 'Bob_1', email: 'bob@example.com', password: 'long enough' })
      .expect(201);
    assert.equal(created.body.username, 'Bob_1');
    assert.equal(typeof created.body.id, 'string');

    const session = await agent.get('/api/v1/session').expect(200);
    assert.deepEqual(session.body.user, { id: created.body.id, username: 'Bob_1' });
    assert.equal(session.body.csrfToken, created.body.csrfToken, 'the token handed out at sign-up is the session token');

    await agent.delete('/api/v1/session').set('X-CSRF-Token', session.body.csrfToken).expect(204);
    const afterLogout = await agent.get('/api/v1/session').expect(200);
    assert.equal(afterLogout.body.user, null);

    const loggedIn = await agent
      .post('/api/v1/session')
      .set('X-CSRF-Token', afterLogout.body.csrfToken)
      .send({ username: 'bob_1', password: 'long enough' })
      .expect(200);
    assert.deepEqual({ id: loggedIn.body.id, username: loggedIn.body.username }, { id: created.body.id, username: 'Bob_1' });
    const again = await agent.get('/api/v1/session').expect(200);
    assert.equal(again.body.user.username, 'Bob_1');
  });

  test('a username taken in another case is a 409 on the username', async () => {
    await signedUp(t.app, { ...alice, username: 'Carol' });
    const agent = request.agent(t.app);
    const token = await apiToken(agent);
    const res = await agent
      .post('/api/v1/users')
      .set('X-CSRF-Token', token)
      .send({ username: 'cAROL', email: 'other@example.com', password: 'another password' })
      .expect(409);
    assert.equal(res.body.error.code, 'conflict');
    assert.deepEqual(res.body.error.issues.map((i: { field: string }) => i.field), ['username']);
  });

  test('invalid fields are a 400 that names each field and why', async () => {
    const agent = request.agent(t.app);
    const token = await apiToken(agent);
    const res = await agent
      .post('/api/v1/users')
      .set('X-CSRF-Token', token)
      .send({ username: 'no spaces allowed', email: 'not-an-email', password: 'short' })
      .expect(400);
    assert.equal(res.body.error.code, 'invalid_input');
    const fields = Object.fromEntries(res.body.error.issues.map((i: { field: string; message: string }) => [i.field, i.message]));
    assert.deepEqual(Object.keys(fields).sort(), ['email', 'password', 'username']);
    for (const message of Object.values(fields)) assert.ok(typeof message === 'string' && message.length > 0);
  });

  test('a missing body is a 400 too, not a 500', async () => {
    const agent = request.agent(t.app);
    const token = await apiToken(agent);
    const res = await agent.post('/api/v1/users').set('X-CSRF-Token', token).expect(400);
    assert.equal(res.body.error.issues.length, 3);
  });

  test('a password of 73 bytes is rejected, one of 72 bytes accepted', async () => {
    const agent = request.agent(t.app);
    const token = await apiToken(agent);
    // 'é' is 2 bytes in UTF-8: 36 of them are 72 bytes but only 36 characters.
    const tooLong = 'é'.repeat(36) + 'x';
    const rejected = await agent
      .post('/api/v1/users')
      .set('X-CSRF-Token', token)
      .send({ username: 'dave', email: 'dave@example.com', password: tooLong })
      .expect(400);
    assert.deepEqual(rejected.body.error.issues.map((i: { field: string }) => i.field), ['password']);
    await agent
      .post('/api/v1/users')
      .set('X-CSRF-Token', token)
      .send({ username: 'dave', email: 'dave@example.com', password: 'é'.repeat(36) })
      .expect(201);
  });

  test('a wrong password and an unknown user get the same 401 answer', async () => {
    await signedUp(t.app, { ...alice, username: 'erin' });
    const agent = request.agent(t.app);
    const token = await apiToken(agent);
    const wrong = await agent.post('/api/v1/session').set('X-CSRF-Token', token).send({ username: 'erin', password: 'not her password' }).expect(401);
    const unknown = await agent.post('/api/v1/session').set('X-CSRF-Token', token).send({ username: 'nobody', password: 'not her password' }).expect(401);
    assert.deepEqual(wrong.body, unknown.body);
    assert.equal(wrong.body.error.code, 'invalid_credentials');
    assert.equal((await agent.get('/api/v1/session')).body.user, null);
  });

  test('log-in moves the session to a new id and re-issues the CSRF token', async () => {
    await signedUp(t.app, { ...alice, username: 'frank' });
    const agent = request.agent(t.app);
    const anonymous = await agent.get('/api/v1/session').expect(200);
    assert.equal(sessionCookie(anonymous), undefined, 'a visitor gets no session until one is needed');
    const loggedIn = await agent.post('/api/v1/session').set('X-CSRF-Token', anonymous.body.csrfToken).send({ username: 'frank', password: alice.password }).expect(200);
    const before = sessionIdOf(sessionCookie(loggedIn));
    assert.ok(before);
    const first = { body: { csrfToken: loggedIn.body.csrfToken as string } };
    const res = await agent
      .post('/api/v1/session')
      .set('X-CSRF-Token', first.body.csrfToken)
      .send({ username: 'frank', password: alice.password })
      .expect(200);
    const afterId = sessionIdOf(sessionCookie(res));
    assert.ok(afterId);
    assert.notEqual(afterId, before);
    assert.notEqual(res.body.csrfToken, first.body.csrfToken);

    // The old session is gone from the store; the old token no longer works, the new one does.
    assert.equal(await t.store.getSession(before, Date.now()), null);
    await agent.delete('/api/v1/session').set('X-CSRF-Token', first.body.csrfToken).expect(403);
    await agent.delete('/api/v1/session').set('X-CSRF-Token', res.body.csrfToken).expect(204);
  });

  test('sessions live in the store: a new app over the same store (a restart) knows the user', async () => {
    const secret = 's'.repeat(40);
    const first = await makeApp({ sessionSecret: secret });
    try {
      const { agent } = await signedUp(first.app, { ...alice, username: 'grace' });
      const cookie = sessionCookie(await agent.get('/api/v1/session').expect(200));
      assert.ok(cookie);
      const restarted = createApp({ config: loadConfig({ NODE_ENV: 'test' }), store: first.store, logger: createLogger({ NODE_ENV: 'test' }), services: first.services, sessionSecret: secret });
      const res = await request(restarted).get('/api/v1/session').set('Cookie', cookie.split(';')[0]).expect(200);
      assert.equal(res.body.user.username, 'grace');
    } finally {
      await first.close();
    }
  });
});
