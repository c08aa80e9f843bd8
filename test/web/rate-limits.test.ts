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
