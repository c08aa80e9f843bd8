import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { alice, apiToken, formToken, makeApp, signedUp } from './support.js';

describe('rate limits', () => {
  test('log-in: failures against one account are limited, with Retry-After; the API and the form count together', async () => {
    const t = await makeApp({ env: { RATE_LIMIT_LOGIN_PER_ACCOUNT: '3', RATE_LIMIT_LOGIN_PER_ADDRESS: '100' } });
    try {
      await signedUp(t.app, { ...alice, username: 'oscar' });
      const agent = request.agent(t.app);
      const token = await apiToken(agent);
      const attempt = (username: string, password: string) =>
        agent.post('/api/v1/session').set('X-CSRF-Token', token).send({ username, password });

      await attempt('oscar', 'wrong one').expect(401);
      await attempt('OSCAR', 'wrong two').expect(401);
      const page = await agent.get('/login');
      await agent.post('/login').type('form').send({ _csrf: formToken(page.text), username: 'Oscar', password: 'wrong three' }).expect(401);

      const limited = await attempt('oscar', alice.password).expect(429);
      assert.equal(limited.body.error.code, 'too_many_requests');
      assert.ok(Number(limited.headers['retry-after']) > 0);
      // Another account from the same address is not affected.
      await attempt('someone-else', 'wrong').expect(401);
    } finally {
      await t.close();
    }
  });

  test('log-in: failures from one address are limited; successes do not count', async () => {
    const t = await makeApp({ env: { RATE_LIMIT_LOGIN_PER_ADDRESS: '2', RATE_LIMIT_LOGIN_PER_ACCOUNT: '100' } });
    try {
      await signedUp(t.app, { ...alice, username: 'peggy' });
      const agent = request.agent(t.app);
      const token = await apiToken(agent);
      const attempt = (username: string, password: string) =>
        agent.post('/api/v1/session').set('X-CSRF-Token', token).send({ username, password });

      const ok = await attempt('peggy', alice.password).expect(200);
      const fresh = ok.body.csrfToken as string;
      const again = (username: string, password: string) =>
        agent.post('/api/v1/session').set('X-CSRF-Token', fresh).send({ username, password });
      await again('first', 'wrong').expect(401);
      await again('second', 'wrong').expect(401);
      const limited = await again('third', 'wrong').expect(429);
      assert.ok(Number(limited.headers['retry-after']) > 0);
      assert.equal(limited.body.error.code, 'too_many_requests');
    } finally {
      await t.close();
    }
  });

  test('sign-up is limited per address; the page answers with the error page', async () => {
    const t = await makeApp({ env: { RATE_LIMIT_SIGNUP_PER_ADDRESS: '1' } });
    try {
      await signedUp(t.app, { ...alice, username: 'quinn' });
      const agent = request.agent(t.app);
      const page = await agent.get('/signup');
      const res = await agent
        .post('/signup')
        .type('form')
        .send({ _csrf: formToken(page.text), username: 'rupert', email: 'r@example.com', password: 'long enough' })
        .expect(429)
        .expect('Content-Type', /html/);
      assert.ok(res.headers['retry-after']);
      assert.match(res.text, /Too many attempts/);
    } finally {
      await t.close();
    }
  });
});

describe('log-in throttling protects accounts without locking their owners out', () => {
  const env = { TRUST_PROXY: '1', RATE_LIMIT_LOGIN_PER_ACCOUNT: '10', RATE_LIMIT_LOGIN_PER_ADDRESS: '30' };

  test('an attacker with 10 addresses and 100 wrong passwords cannot stop the owner logging in from their address', async () => {
    const t = await makeApp({ env });
    try {
      await signedUp(t.app, { ...alice, username: 'owner' });
      const agent = request.agent(t.app);
      const token = await apiToken(agent);
      const attempt = (from: string, password: string) =>
        agent.post('/api/v1/session').set('X-Forwarded-For', from).set('X-CSRF-Token', token).send({ username: 'OWNER', password });
      await attempt('198.51.100.7', alice.password).expect(200); // the owner's usual address
      await signedUp(t.app, { ...alice, username: 'newcomer' }); // signed up from 127.0.0.1, never logged in since
      const fresh = await apiToken(agent);
      const answers: number[] = [];
      for (let address = 1; address <= 10; address++) {
        for (let guess = 0; guess < 10; guess++) {
          const res = await agent
            .post('/api/v1/session')
            .set('X-Forwarded-For', `203.0.113.${address}`)
            .set('X-CSRF-Token', fresh)
            .send({ username: guess % 2 === 0 ? 'owner' : 'NEWCOMER', password: `guess ${address}-${guess}` });
          answers.push(res.status);
        }
      }
      assert.deepEqual([...new Set(answers)].sort(), [401, 429]);
      // Past the first ten failures per account, the strangers' addresses wait ever longer: most guesses are never checked.
      assert.ok(answers.filter((status) => status === 401).length <= 22, `${answers.filter((s) => s === 401).length} guesses checked`);

      const owner = request.agent(t.app);
      const ownerToken = await apiToken(owner);
      await owner.post('/api/v1/session').set('X-Forwarded-For', '198.51.100.7').set('X-CSRF-Token', ownerToken).send({ username: 'owner', password: alice.password }).expect(200);
      // The address an account was signed up from counts as the owner's too.
      const newcomer = request.agent(t.app);
      const newcomerToken = await apiToken(newcomer);
      await newcomer.post('/api/v1/session').set('X-CSRF-Token', newcomerToken).send({ username: 'newcomer', password: alice.password }).expect(200);
      // The same right password from one of the attacker's addresses is still held back.
      await agent.post('/api/v1/session').set('X-Forwarded-For', '203.0.113.1').set('X-CSRF-Token', fresh).send({ username: 'owner', password: alice.password }).expect(429);
    } finally {
      await t.close();
    }
  });

  test('30 wrong passwords from one address (any accounts) still get 429', async () => {
    const t = await makeApp({ env });
    try {
      const agent = request.agent(t.app);
      const token = await apiToken(agent);
      for (let i = 0; i < 30; i++) {
        await agent.post('/api/v1/session').set('X-Forwarded-For', '192.0.2.9').set('X-CSRF-Token', token).send({ username: `name${i}`, password: 'wrong' }).expect(401);
      }
      const limited = await agent.post('/api/v1/session').set('X-Forwarded-For', '192.0.2.9').set('X-CSRF-Token', token).send({ username: 'another', password: 'wrong' }).expect(429);
      assert.ok(Number(limited.headers['retry-after']) > 0);
      // Another address is not affected.
      await agent.post('/api/v1/session').set('X-Forwarded-For', '192.0.2.10').set('X-CSRF-Token', token).send({ username: 'another', password: 'wrong' }).expect(401);
    } finally {
      await t.close();
    }
  });
});
