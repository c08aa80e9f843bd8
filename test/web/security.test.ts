import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { alice, apiToken, formToken, makeApp, sessionCookie, signedUp, type TestApp } from './support.js';

describe('request safety', () => {
  let t: TestApp;
  before(async () => {
    t = await makeApp();
  });
  after(() => t.close());

  test('a state-changing API request without the CSRF token, or with a wrong one, is a 403', async () => {
    const agent = request.agent(t.app);
    const token = await apiToken(agent);
    const missing = await agent.post('/api/v1/users').send({ ...alice, username: 'mallory' }).expect(403);
    assert.equal(missing.body.error.code, 'csrf_failed');
    const wrong = await agent.post('/api/v1/users').set('X-CSRF-Token', token.slice(1) + 'x').send({ ...alice, username: 'mallory' }).expect(403);
    assert.equal(wrong.body.error.code, 'csrf_failed');
    // Nothing was written.
    assert.equal(await t.store.findUserByUsername('mallory'), null);
  });

  test('a token without a session (another browser) is a 403 too', async () => {
    const token = await apiToken(request.agent(t.app));
    await request(t.app).post('/api/v1/session').set('X-CSRF-Token', token).send({ username: 'a', password: 'b' }).expect(403);
  });

  test('a form without _csrf gets the error page with 403', async () => {
    const { agent } = await signedUp(t.app, { ...alice, username: 'nina' });
    const res = await agent.post('/logout').type('form').send({}).expect(403).expect('Content-Type', /html/);
    assert.match(res.text, /This form has expired/);
    assert.equal((await agent.get('/api/v1/session')).body.user.username, 'nina', 'still logged in');
  });

  test('/internal/* is not checked for a CSRF token (its callers are verified differently)', async () => {
    const res = await request(t.app).post('/internal/tick').expect(404);
    assert.equal(res.body.error.code, 'not_found');
  });

  test('a JSON body over the limit is a 413', async () => {
    const agent = request.agent(t.app);
    const token = await apiToken(agent);
    const res = await agent
      .post('/api/v1/users')
      .set('X-CSRF-Token', token)
      .send({ ...alice, email: 'x'.repeat(40_000) })
      .expect(413);
    assert.equal(res.body.error.code, 'payload_too_large');
  });

  test('a body that is not JSON on the API is a 415; broken JSON is a 400', async () => {
    const agent = request.agent(t.app);
    const token = await apiToken(agent);
    const form = await agent.post('/api/v1/session').set('X-CSRF-Token', token).type('form').send({ username: 'a', password: 'b' }).expect(415);
    assert.equal(form.body.error.code, 'unsupported_media_type');
    const text = await agent.post('/api/v1/session').set('X-CSRF-Token', token).set('Content-Type', 'text/plain').send('hi').expect(415);
    assert.equal(text.body.error.code, 'unsupported_media_type');
    const broken = await agent.post('/api/v1/session').set('X-CSRF-Token', token).set('Content-Type', 'application/json').send('{"username":').expect(400);
    assert.equal(broken.body.error.code, 'invalid_json');
  });

  test('the session and CSRF cookies are HttpOnly and SameSite=Lax, not Secure outside production', async () => {
    const anonymous = await request(t.app).get('/api/v1/session').expect(200);
    assert.equal(sessionCookie(anonymous), undefined, 'a visitor gets no session, only the CSRF cookie');
    const { agent } = await signedUp(t.app, { ...alice, username: 'cookies' });
    const loggedIn = await agent.get('/api/v1/session').expect(200);
    assert.ok(loggedIn.body.user);
    const signedUpLine = sessionCookie(await logInAgain(t.app, 'cookies'));
    for (const cookie of [csrfCookie(anonymous), signedUpLine]) {
      assert.ok(cookie);
      assert.match(cookie, /; HttpOnly/i);
      assert.match(cookie, /; SameSite=Lax/i);
      assert.match(cookie, /; Path=\//);
      assert.doesNotMatch(cookie, /; Secure/i);
    }
  });

  test('anonymous GETs of pages and the API create no session rows until one is needed', async () => {
    // Rows in the store: every one expires before the far future, so pruning then counts them (and empties the table).
    const rows = () => t.store.pruneExpiredSessions(Number.MAX_SAFE_INTEGER);
    await rows();
    const paths = ['/', '/login', '/signup', '/best-movies', '/insights', '/picks', '/recommendations', '/operations', '/no-such-page',
      '/api/v1/session', '/api/v1/movies?q=toy', '/api/v1/movies/1', '/api/v1/best-movies', '/api/v1/me/picks', '/api/v1/me/recommendations'];
    for (let round = 0; round < 20; round++) {
      for (const path of paths) {
        const res = await request(t.app).get(path);
        assert.ok(res.status < 500, `${path}: ${res.status}`);
        assert.equal(sessionCookie(res), undefined, path);
      }
    }
    assert.equal(await rows(), 0);
    // The forms still work with the stateless token: a log-in is the first session row.
    await signedUp(t.app, { ...alice, username: 'rowcount' });
    const agent = request.agent(t.app);
    const page = await agent.get('/login').expect(200);
    await agent.post('/login').type('form').send({ _csrf: formToken(page.text), username: 'rowcount', password: alice.password }).expect(303);
    assert.equal(await rows(), 2, 'the sign-up and the log-in, one session each');
  });

  test('security headers: a CSP of this site only, no sniffing, no framing', async () => {
    const res = await request(t.app).get('/').expect(200);
    const csp = res.headers['content-security-policy'];
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /style-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|https:/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['x-powered-by'], undefined);
    assert.doesNotMatch(res.text, /<script|style=|src="http/, 'no inline scripts or styles, no external resources');
  });

  test('the request id: a sane incoming one is echoed, anything else is replaced', async () => {
    const kept = await request(t.app).get('/healthz').set('X-Request-Id', 'abc-123.def').expect(200);
    assert.equal(kept.headers['x-request-id'], 'abc-123.def');
    const replaced = await request(t.app).get('/healthz').set('X-Request-Id', 'bad id\twith "stuff"').expect(200);
    assert.match(replaced.headers['x-request-id'], /^[0-9a-f-]{36}$/);
    const made = await request(t.app).get('/healthz').expect(200);
    assert.match(made.headers['x-request-id'], /^[0-9a-f-]{36}$/);
  });
});

describe('in production', () => {
  let t: TestApp;
  before(async () => {
    t = await makeApp({ env: { NODE_ENV: 'production', SESSION_SECRET: 'p'.repeat(40), TRUST_PROXY: '1', LOG_LEVEL: 'silent' } });
  });
  after(() => t.close());

  test('the session and CSRF cookies are also Secure (behind an https proxy)', async () => {
    const res = await request(t.app).get('/api/v1/session').set('X-Forwarded-Proto', 'https').expect(200);
    const csrf = csrfCookie(res)!;
    // Secure cookies are not sent back over the test's plain connection by a cookie jar: carried by hand.
    const session = await request(t.app)
      .post('/api/v1/users')
      .set('X-Forwarded-Proto', 'https')
      .set('Cookie', csrf.split(';')[0])
      .set('X-CSRF-Token', res.body.csrfToken as string)
      .send({ ...alice, username: 'secure' })
      .expect(201);
    for (const cookie of [csrf, sessionCookie(session)]) {
      assert.ok(cookie);
      assert.match(cookie, /; Secure/i);
      assert.match(cookie, /; HttpOnly/i);
      assert.match(cookie, /; SameSite=Lax/i);
    }
    assert.match(res.headers['strict-transport-security'], /max-age=/);
  });
});

/** The anonymous CSRF cookie's Set-Cookie line of a response, if any. */
function csrfCookie(res: request.Response): string | undefined {
  const header = res.headers['set-cookie'] as unknown as string[] | undefined;
  return header?.find((line) => line.startsWith('mh.csrf='));
}

/** A log-in by a fresh agent: its answer carries the new session cookie. */
async function logInAgain(app: TestApp['app'], username: string): Promise<request.Response> {
  const agent = request.agent(app);
  const token = await apiToken(agent);
  return agent.post('/api/v1/session').set('X-CSRF-Token', token).send({ username, password: alice.password }).expect(200);
}
