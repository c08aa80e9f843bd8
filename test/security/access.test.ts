/**
 * Access: nobody sees or changes another user's data; the operations page and /internal/tick refuse everyone without
 * the role or the token; every state-changing route wants its session's CSRF token; cookies, session fixation,
 * log-in answers and timing, brute-force throttling, the 72-byte bcrypt limit, and secrets kept out of the logs.
 * (test/web/security.test.ts, rate-limits.test.ts, accounts-api.test.ts and operations-page.test.ts cover the basics;
 * this suite goes after them as an attacker would.)
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import request from 'supertest';
import { createLogger } from '../../src/log.js';
import { runAdminCommand } from '../../src/operations/admin-command.js';
import type { Store } from '../../src/store/index.js';
import {
  FIVE_PICKS,
  OTHER_PICKS,
  PASSWORD,
  TICK_TOKEN,
  formToken,
  logIn,
  makeSecureApp,
  sessionCookie,
  signUp,
  snapshot,
  userSnapshot,
  type SecureApp,
  type Session,
} from './support.js';

/** Gives `userId` a finished run with these 48 movies, as the pipeline would. */
async function fullRecommendations(store: Store, userId: string, first: number): Promise<void> {
  const runId = `run-${userId.slice(0, 8)}-${first}`;
  const now = Date.now();
  await store.createRun({ id: runId, engine: 'test', now, leaseUntil: now + 60_000 });
  const [claimed] = await store.claimPendingUsers(runId, 1, now);
  assert.equal(claimed.userId, userId);
  const candidates = Array.from({ length: 48 }, (_, i) => ({ movieId: first + i, score: 100 - i, because: claimed.movieIds[0] }));
  await store.completeRun(runId, [{ userId, generation: claimed.generation, candidates }], now, { maxAttempts: 3 });
}

describe("another user's data", () => {
  let t: SecureApp;
  let alice: Session;
  let bob: Session;
  before(async () => {
    t = await makeSecureApp();
    alice = await signUp(t.app, 'alice', FIVE_PICKS);
    await fullRecommendations(t.store, alice.id, 1000);
    bob = await signUp(t.app, 'bob', OTHER_PICKS);
    await fullRecommendations(t.store, bob.id, 2000);
  });
  after(() => t.close());

  test('every API route and page shows the caller only their own picks and recommendations', async () => {
    const picks = await bob.agent.get('/api/v1/me/picks').expect(200);
    assert.deepEqual(picks.body.movieIds, OTHER_PICKS);
    const ids = async (who: Session) =>
      ((await who.agent.get('/api/v1/me/recommendations').expect(200)).body.items as { movie: { id: number } }[]).map((i) => i.movie.id);
    const bobs = await ids(bob);
    const alices = await ids(alice);
    assert.ok(bobs.length > 30 && alices.length > 30);
    assert.ok(bobs.every((id) => id >= 2000 && id < 2048), 'bob sees only his own 48');
    assert.ok(alices.every((id) => id >= 1000 && id < 1048));
    const quick = await bob.agent.get('/api/v1/me/recommendations/quick').expect(200);
    assert.ok(quick.body.items.every((i: { because: { id: number } }) => OTHER_PICKS.includes(i.because.id)));
    const session = await bob.agent.get('/api/v1/session').expect(200);
    assert.deepEqual(session.body.user, { id: bob.id, username: 'bob' });
    // What a page shows anyone (the picker's grid of popular movies) is no leak: compare with a user who has no data.
    const stranger = await signUp(t.app, 'stranger');
    for (const path of ['/', '/picks', '/recommendations', '/recommendations/quick']) {
      const page = await bob.agent.get(path).expect(200);
      const shownToAnyone = (await stranger.agent.get(path).expect(200)).text;
      assert.ok(!page.text.includes('alice'), `${path} mentions alice`);
      assert.ok(!page.text.includes(alice.id), `${path} shows alice's id`);
      for (const id of alices) {
        const poster = `/posters/${id}.svg`;
        assert.ok(!page.text.includes(poster) || shownToAnyone.includes(poster), `${path} shows alice's movie ${id}`);
      }
    }
    const page = await bob.agent.get('/recommendations').expect(200);
    assert.ok(page.text.includes(`/posters/${bobs[0]}.svg`));
  });

  test("no route takes another user's id: ids in paths are 404, ids in bodies are ignored", async () => {
    for (const path of [`/api/v1/users/${alice.id}`, `/api/v1/users/${alice.id}/picks`, `/api/v1/me/picks/${alice.id}`, `/api/v1/me/recommendations/${alice.id}`, `/users/${alice.id}`]) {
      const res = await bob.agent.get(path).expect(404);
      assert.ok(!res.text.includes('alice'));
    }
    const before = await userSnapshot(t.store, alice.id);
    await bob.agent.put('/api/v1/me/picks').set('X-CSRF-Token', bob.token).send({ movieIds: OTHER_PICKS, userId: alice.id, id: alice.id, user: { id: alice.id } }).expect(200);
    await bob.agent.put(`/api/v1/me/picks?userId=${alice.id}`).set('X-CSRF-Token', bob.token).send({ movieIds: OTHER_PICKS }).expect(200);
    const page = await bob.agent.get('/picks').expect(200);
    await bob.agent.post('/picks/add').type('form').send({ _csrf: formToken(page.text), movieId: '3', userId: alice.id }).expect(303);
    assert.equal(await userSnapshot(t.store, alice.id), before, "alice's data changed");
  });

  test("one user's CSRF token is worthless in another's session, and a cookie dies with its log-out", async () => {
    const before = await userSnapshot(t.store, alice.id);
    const bobs = await userSnapshot(t.store, bob.id);
    await bob.agent.put('/api/v1/me/picks').set('X-CSRF-Token', alice.token).send({ movieIds: FIVE_PICKS }).expect(403);
    assert.equal(await userSnapshot(t.store, alice.id), before);
    assert.equal(await userSnapshot(t.store, bob.id), bobs);

    // Log-out over the API: the old cookie, replayed, is a visitor.
    const carol = await signUp(t.app, 'carol');
    await carol.agent.delete('/api/v1/session').set('X-CSRF-Token', carol.token).expect(204);
    assert.equal((await request(t.app).get('/api/v1/session').set('Cookie', carol.cookie).expect(200)).body.user, null);
    await request(t.app).get('/api/v1/me/picks').set('Cookie', carol.cookie).expect(401);
    // Log-out by the form: the same.
    const dave = await signUp(t.app, 'dave');
    const home = await dave.agent.get('/').expect(200);
    await dave.agent.post('/logout').type('form').send({ _csrf: formToken(home.text) }).expect(303);
    assert.equal((await request(t.app).get('/api/v1/session').set('Cookie', dave.cookie).expect(200)).body.user, null);
    await request(t.app).get('/recommendations').set('Cookie', dave.cookie).expect(303).expect('Location', '/login?next=%2Frecommendations');
  });
});

describe('the operations page and /internal/tick', () => {
  let t: SecureApp;
  before(async () => {
    t = await makeSecureApp();
  });
  after(() => t.close());

  test('the operations page: visitors are sent to log in, users without the role get 403, however they ask', async () => {
    await request(t.app).get('/operations').expect(303).expect('Location', '/login?next=%2Foperations');
    await request(t.app).head('/operations').expect(303);
    const mallory = await signUp(t.app, 'mallory');
    for (const path of ['/operations', '/operations?as=chief', '/operations?role=admin', '/OPERATIONS', '/operations/', '/operations;chief']) {
      const res = await mallory.agent.get(path).set('X-Forwarded-User', 'chief').set('X-Role', 'admin');
      assert.ok([403, 404].includes(res.status), `${path}: ${res.status}`);
      assert.ok(!res.text.includes('data-state="pending"'), `${path} shows the page`);
    }
    await mallory.agent.head('/operations').expect(403);
    // A name that differs from the admin's only in ways sign-up allows is another account.
    const lookalike = await signUp(t.app, 'chief_');
    await lookalike.agent.get('/operations').expect(403);
    // Rights belong to an account, granted by the operator: a name, in any case, gives none.
    const chief = await signUp(t.app, 'Chief');
    await chief.agent.get('/operations').expect(403);
    await runAdminCommand(['grant', 'CHIEF'], t.store);
    await chief.agent.get('/operations').expect(200);
  });

  test('signing up, or logging in, as any case variant of an admin name gives no rights', async () => {
    const app = await makeSecureApp({ env: { ADMIN_USERNAMES: 'admin1' } });
    try {
      const taker = await signUp(app.app, 'Admin1');
      const again = await logIn(app.app, 'aDMIN1');
      for (const session of [taker, again]) {
        await session.agent.get('/operations').expect(403);
        assert.ok(!(await session.agent.get('/').expect(200)).text.includes('href="/operations"'));
      }
    } finally {
      await app.close();
    }
  });

  test('/internal/tick: only the bearer token runs a tick; a session, the CSRF token or a query never do', async () => {
    const chief = await logIn(t.app, 'Chief');
    const attempts: [string, (r: request.Test) => request.Test][] = [
      ['nothing', (r) => r],
      ['a session and its CSRF token', (r) => r.set('Cookie', chief.cookie).set('X-CSRF-Token', chief.token)],
      ['the token as CSRF token', (r) => r.set('X-CSRF-Token', TICK_TOKEN)],
      ['the token in a cookie', (r) => r.set('Cookie', `token=${TICK_TOKEN}; authorization=Bearer ${TICK_TOKEN}`)],
      ['a prefix of the token', (r) => r.set('Authorization', `Bearer ${TICK_TOKEN.slice(0, -1)}`)],
      ['the token twice', (r) => r.set('Authorization', `Bearer ${TICK_TOKEN} ${TICK_TOKEN}`)],
      ['another scheme', (r) => r.set('Authorization', `Token ${TICK_TOKEN}`)],
    ];
    for (const [what, add] of attempts) {
      const res = await add(request(t.app).post('/internal/tick'));
      assert.equal(res.status, 401, what);
      assert.equal(res.body.error.code, 'unauthorized');
    }
    await request(t.app).post(`/internal/tick?token=${TICK_TOKEN}&access_token=${TICK_TOKEN}`).expect(401);
    await request(t.app).get('/internal/tick').set('Authorization', `Bearer ${TICK_TOKEN}`).expect(404);
    assert.equal(t.ticks(), 0);
    await request(t.app).post('/internal/tick').set('Authorization', `Bearer ${TICK_TOKEN}`).expect(200);
    assert.equal(t.ticks(), 1);
  });
});

describe('CSRF on every state-changing route', () => {
  let t: SecureApp;
  let victim: Session;
  before(async () => {
    t = await makeSecureApp();
    victim = await signUp(t.app, 'victim', FIVE_PICKS);
  });
  after(() => t.close());

  test('missing, wrong or another session\'s token is a 403 and stores nothing; the victim stays logged in', async () => {
    const attacker = await signUp(t.app, 'attacker');
    const page = await attacker.agent.get('/picks').expect(200);
    const attackerFormToken = formToken(page.text);
    const api: [string, string, object][] = [
      ['post', '/api/v1/users', { username: 'planted', email: 'p@example.com', password: PASSWORD }],
      ['post', '/api/v1/session', { username: 'attacker', password: PASSWORD }],
      ['delete', '/api/v1/session', {}],
      ['put', '/api/v1/me/picks', { movieIds: OTHER_PICKS }],
      ['post', '/api/v1/recommendations/quick', { movieIds: OTHER_PICKS }],
      ['put', '/api/v1/me/reactions/3', { kind: 'not_interested' }],
      ['delete', '/api/v1/me/reactions/3', {}],
    ];
    const forms: [string, Record<string, string>][] = [
      ['/signup', { username: 'planted', email: 'p@example.com', password: PASSWORD }],
      ['/login', { username: 'attacker', password: PASSWORD }],
      ['/logout', {}],
      ['/picks/add', { movieId: '3' }],
      ['/picks/remove', { movieId: '1' }],
      ['/picks', { movieIds: '3' }],
      ['/reactions/3', { kind: 'not_interested', returnTo: '/watchlist' }],
      ['/reactions/3/remove', { returnTo: '/watchlist' }],
    ];
    const tokens: [string, string | undefined][] = [
      ['missing', undefined],
      ['empty', ''],
      ['wrong', `${victim.token.slice(1)}A`],
      ["the attacker's", attacker.token],
      ["the attacker's form token", attackerFormToken],
    ];
    const before = await snapshot(t.store, victim.id);
    for (const [label, token] of tokens) {
      for (const [method, path, body] of api) {
        let req = victim.agent[method as 'post'](path);
        if (token !== undefined) req = req.set('X-CSRF-Token', token);
        const res = await req.send(body);
        assert.equal(res.status, 403, `${method} ${path} with ${label} token: ${res.status}`);
        assert.equal(res.body.error.code, 'csrf_failed');
      }
      for (const [path, fields] of forms) {
        const res = await victim.agent.post(path).type('form').send(token === undefined ? fields : { ...fields, _csrf: token });
        assert.equal(res.status, 403, `POST ${path} with ${label} token: ${res.status}`);
      }
    }
    // A token sent twice (header and form, or a repeated field) is not a way round it either.
    await victim.agent.post('/picks/add').type('form').send(`_csrf=${encodeURIComponent(victim.token)}&_csrf=x&movieId=3`).expect(403);
    assert.equal(await snapshot(t.store, victim.id), before, 'something was stored');
    assert.equal(await t.store.findUserByUsername('planted'), null);
    assert.equal((await victim.agent.get('/api/v1/session').expect(200)).body.user.username, 'victim');
  });
});

describe('cookies and session fixation', () => {
  test('log-in and sign-up cookies are HttpOnly, SameSite=Lax and Secure in production; none is sent over plain http', async () => {
    const t = await makeSecureApp({ env: { NODE_ENV: 'production', SESSION_SECRET: 'p'.repeat(40), TRUST_PROXY: '1', LOG_LEVEL: 'silent' } });
    try {
      // Secure cookies are not sent back over the test's plain connection by a cookie jar: carry the cookie by hand.
      const https = (r: request.Test, cookie?: string) => (cookie ? r.set('Cookie', cookie) : r).set('X-Forwarded-Proto', 'https');
      const first = await https(request(t.app).get('/api/v1/session')).expect(200);
      assert.equal(sessionCookie(first), undefined, 'a visitor gets no session, only the CSRF cookie');
      const csrfLine = (first.headers['set-cookie'] as unknown as string[]).find((l) => l.startsWith('mh.csrf='))!;
      const signed = await https(request(t.app).post('/api/v1/users'), csrfLine.split(';')[0])
        .set('X-CSRF-Token', first.body.csrfToken as string)
        .send({ username: 'prod', email: 'prod@example.com', password: PASSWORD })
        .expect(201);
      const again = await https(request(t.app).post('/api/v1/session'), sessionCookie(signed))
        .set('X-CSRF-Token', signed.body.csrfToken as string)
        .send({ username: 'prod', password: PASSWORD })
        .expect(200);
      for (const line of [csrfLine, ...[signed, again].map((res) => (res.headers['set-cookie'] as unknown as string[]).find((l) => l.startsWith('mh.sid='))!)]) {
        assert.match(line, /; HttpOnly/i);
        assert.match(line, /; SameSite=Lax/i);
        assert.match(line, /; Secure/i);
      }
      const out = await https(request(t.app).delete('/api/v1/session'), sessionCookie(again)).set('X-CSRF-Token', again.body.csrfToken as string).expect(204);
      const cleared = (out.headers['set-cookie'] as unknown as string[]).find((l) => l.startsWith('mh.sid='))!;
      assert.match(cleared, /Expires=Thu, 01 Jan 1970/);
      assert.match(cleared, /; Secure/i);
      // Over plain http a production server hands out no session cookie at all.
      const plain = await request(t.app).get('/api/v1/session').expect(200);
      assert.equal(plain.headers['set-cookie'], undefined);
    } finally {
      await t.close();
    }
  });

  test("a session id planted before log-in or sign-up (pages and API) never becomes the victim's session", async () => {
    const t = await makeSecureApp();
    try {
      await signUp(t.app, 'victim');
      // What an attacker can plant: the cookies of its own visit (now only the CSRF cookie: a visitor has no session).
      const plant = async () => {
        const attacker = request.agent(t.app);
        const res = await attacker.get('/login').expect(200);
        const cookie = (res.headers['set-cookie'] as unknown as string[]).map((line) => line.split(';')[0]).join('; ');
        return { cookie, token: formToken(res.text) };
      };
      const isVisitor = async (cookie: string) => (await request(t.app).get('/api/v1/session').set('Cookie', cookie).expect(200)).body.user === null;

      // The victim logs in by the form with the attacker's cookie and token.
      let planted = await plant();
      const form = await request(t.app).post('/login').set('Cookie', planted.cookie).type('form').send({ _csrf: planted.token, username: 'victim', password: PASSWORD }).expect(303);
      assert.notEqual(sessionCookie(form), planted.cookie);
      assert.ok(await isVisitor(planted.cookie), 'the planted session was logged in');

      // Over the API.
      planted = await plant();
      const apiToken = (await request(t.app).get('/api/v1/session').set('Cookie', planted.cookie)).body.csrfToken as string;
      const api = await request(t.app).post('/api/v1/session').set('Cookie', planted.cookie).set('X-CSRF-Token', apiToken).send({ username: 'victim', password: PASSWORD }).expect(200);
      assert.notEqual(sessionCookie(api), planted.cookie);
      assert.ok(await isVisitor(planted.cookie));

      // Sign-up, by the form and over the API.
      planted = await plant();
      const signupPage = await request(t.app).post('/signup').set('Cookie', planted.cookie).type('form').send({ _csrf: planted.token, username: 'newcomer', email: 'n@example.com', password: PASSWORD }).expect(303);
      assert.notEqual(sessionCookie(signupPage), planted.cookie);
      assert.ok(await isVisitor(planted.cookie));
      planted = await plant();
      const signupToken = (await request(t.app).get('/api/v1/session').set('Cookie', planted.cookie)).body.csrfToken as string;
      await request(t.app).post('/api/v1/users').set('Cookie', planted.cookie).set('X-CSRF-Token', signupToken).send({ username: 'newcomer2', email: 'n2@example.com', password: PASSWORD }).expect(201);
      assert.ok(await isVisitor(planted.cookie));

      // A session id the attacker made up (unsigned, or signed with another secret) is never adopted.
      for (const cookie of ['mh.sid=attacker-chosen-id', 'mh.sid=s%3Aattacker-chosen-id.c2lnbmF0dXJl']) {
        const token = (await request(t.app).get('/api/v1/session').set('Cookie', cookie)).body.csrfToken as string;
        const res = await request(t.app).post('/api/v1/session').set('Cookie', cookie).set('X-CSRF-Token', token).send({ username: 'victim', password: PASSWORD });
        assert.equal(res.status, 403, 'the made-up session had no token to match');
        assert.equal(await t.store.getSession('attacker-chosen-id', Date.now()), null);
      }
    } finally {
      await t.close();
    }
  });
});

describe('log-in answers', () => {
  test('an unknown user, a wrong password and a password cut at 72 bytes get the same answer, API and page', async () => {
    const t = await makeSecureApp();
    try {
      const long = 'L'.repeat(72); // exactly bcrypt's limit
      await signUp(t.app, 'victim');
      const agent = request.agent(t.app);
      const token = (await agent.get('/api/v1/session')).body.csrfToken as string;
      await agent.post('/api/v1/users').set('X-CSRF-Token', token).send({ username: 'longpass', email: 'l@example.com', password: long }).expect(201);
      const fresh = request.agent(t.app);
      const freshToken = (await fresh.get('/api/v1/session')).body.csrfToken as string;
      const attempt = (username: string, password: string) => fresh.post('/api/v1/session').set('X-CSRF-Token', freshToken).send({ username, password });

      const answers = [
        await attempt('victim', 'not the password'),
        await attempt('nobody-here', 'not the password'),
        await attempt('longpass', `${long}and more`), // bcrypt alone would accept this: only its first 72 bytes count
        await attempt('longpass', `${long}X`),
        await attempt('v'.repeat(300), 'not the password'),
      ];
      for (const res of answers) {
        assert.equal(res.status, 401);
        assert.deepEqual(res.body, { error: { code: 'invalid_credentials', message: 'Wrong username or password.' } });
      }
      await attempt('longpass', long).expect(200);

      // Pages: the same page but for the name typed in.
      const page = request.agent(t.app);
      const form = await page.get('/login').expect(200);
      const post = (username: string, password: string) => page.post('/login').type('form').send({ _csrf: formToken(form.text), username, password });
      const wrong = await post('victim', 'not the password');
      const unknown = await post('nobody-here', 'not the password');
      assert.equal(wrong.status, 401);
      assert.equal(unknown.status, 401);
      const normalise = (html: string, name: string) => html.replaceAll(`value="${name}"`, 'value="NAME"');
      assert.equal(normalise(wrong.text, 'victim'), normalise(unknown.text, 'nobody-here'));
      // Sign-up refuses a password over 72 bytes rather than cutting it.
      const signup = await page.get('/signup').expect(200);
      const refused = await page.post('/signup').type('form').send({ _csrf: formToken(signup.text), username: 'cutter', email: 'c@example.com', password: `${long}!` }).expect(400);
      assert.match(refused.text, /Use at most 72 bytes/);
      assert.equal(await t.store.findUserByUsername('cutter'), null);
    } finally {
      await t.close();
    }
  });

  test('about the same time for an unknown user, a wrong password and an over-long password (medians)', async () => {
    const t = await makeSecureApp({ env: { BCRYPT_COST: '8' } });
    try {
      await signUp(t.app, 'victim');
      const agent = request.agent(t.app);
      const token = (await agent.get('/api/v1/session')).body.csrfToken as string;
      const kinds: Record<string, { username: string; password: string }> = {
        'wrong password': { username: 'victim', password: 'not the password' },
        'unknown user': { username: 'nobody-at-all', password: 'not the password' },
        'password over 72 bytes': { username: 'victim', password: 'p'.repeat(100) },
        'name over 256 characters': { username: 'n'.repeat(300), password: 'not the password' },
      };
      const times: Record<string, number[]> = Object.fromEntries(Object.keys(kinds).map((k) => [k, []]));
      for (let round = 0; round < 25; round++) {
        for (const [kind, body] of Object.entries(kinds)) {
          const start = performance.now();
          await agent.post('/api/v1/session').set('X-CSRF-Token', token).send(body).expect(401);
          if (round >= 3) times[kind].push(performance.now() - start); // the first rounds warm up
        }
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      const reference = median(times['wrong password']);
      const report = Object.entries(times).map(([kind, xs]) => `${kind} ${median(xs).toFixed(1)} ms`).join(', ');
      assert.ok(reference > 3, `bcrypt at cost 8 should take a few ms: ${report}`);
      for (const [kind, xs] of Object.entries(times)) {
        const ratio = median(xs) / reference;
        assert.ok(ratio > 0.7 && ratio < 1.4, `${kind} is ${ratio.toFixed(2)}× the wrong password's time (${report})`);
      }
    } finally {
      await t.close();
    }
  });
});

describe('brute force', () => {
  test('per account: failures from many addresses (behind a proxy) and in any spelling of the name count together', async () => {
    const t = await makeSecureApp({ env: { TRUST_PROXY: '1', RATE_LIMIT_LOGIN_PER_ACCOUNT: '5', RATE_LIMIT_LOGIN_PER_ADDRESS: '1000' } });
    try {
      await signUp(t.app, 'victim');
      const agent = request.agent(t.app);
      const token = (await agent.get('/api/v1/session')).body.csrfToken as string;
      const spellings = ['victim', 'VICTIM', ' Victim ', 'ｖｉｃｔｉｍ', 'victim'];
      for (const [i, username] of spellings.entries()) {
        await agent.post('/api/v1/session').set('X-CSRF-Token', token).set('X-Forwarded-For', `203.0.113.${i + 1}`).send({ username, password: 'guess' }).expect(401);
      }
      // The right password from a new address is refused too: the limit says nothing about whether a guess was right.
      const limited = await agent.post('/api/v1/session').set('X-CSRF-Token', token).set('X-Forwarded-For', '198.51.100.7').send({ username: 'victim', password: PASSWORD }).expect(429);
      assert.ok(Number(limited.headers['retry-after']) > 0);
      const page = await agent.get('/login').expect(200);
      await agent.post('/login').set('X-Forwarded-For', '198.51.100.8').type('form').send({ _csrf: formToken(page.text), username: 'Victim', password: PASSWORD }).expect(429);
      // Another account is not locked by it.
      await signUp(t.app, 'bystander');
      await agent.post('/api/v1/session').set('X-CSRF-Token', token).send({ username: 'bystander', password: PASSWORD }).expect(200);
    } finally {
      await t.close();
    }
  });

  test('per address: a forged X-Forwarded-For does not give an attacker new addresses when no proxy is trusted', async () => {
    const t = await makeSecureApp({ env: { TRUST_PROXY: '0', RATE_LIMIT_LOGIN_PER_ADDRESS: '4', RATE_LIMIT_LOGIN_PER_ACCOUNT: '1000', RATE_LIMIT_SIGNUP_PER_ADDRESS: '3' } });
    try {
      const agent = request.agent(t.app);
      const token = (await agent.get('/api/v1/session')).body.csrfToken as string;
      for (let i = 0; i < 4; i++) {
        await agent.post('/api/v1/session').set('X-CSRF-Token', token).set('X-Forwarded-For', `203.0.113.${i}`).send({ username: `user${i}`, password: 'guess' }).expect(401);
      }
      await agent.post('/api/v1/session').set('X-CSRF-Token', token).set('X-Forwarded-For', '203.0.113.99').send({ username: 'user99', password: 'guess' }).expect(429);
      // Sign-up floods are limited per address the same way.
      for (let i = 0; i < 3; i++) {
        const a = request.agent(t.app);
        const tok = (await a.get('/api/v1/session')).body.csrfToken as string;
        await a.post('/api/v1/users').set('X-CSRF-Token', tok).set('X-Forwarded-For', `198.51.100.${i}`).send({ username: `flood${i}`, email: `f${i}@example.com`, password: PASSWORD }).expect(201);
      }
      const a = request.agent(t.app);
      const tok = (await a.get('/api/v1/session')).body.csrfToken as string;
      await a.post('/api/v1/users').set('X-CSRF-Token', tok).set('X-Forwarded-For', '198.51.100.200').send({ username: 'flood9', email: 'f9@example.com', password: PASSWORD }).expect(429);
      assert.equal(await t.store.findUserByUsername('flood9'), null);
    } finally {
      await t.close();
    }
  });
});

describe('secrets never in logs', () => {
  test('passwords, hashes, session ids, CSRF tokens, the tick token and the session secret appear in no log line', async () => {
    const secret = 'the-session-secret-is-long-enough-0123456789';
    const t = await makeSecureApp({ sessionSecret: secret });
    try {
      const password = 'hunter2-very-secret-password';
      const agent = request.agent(t.app);
      const anon = await agent.get('/api/v1/session').expect(200);
      const created = await agent.post('/api/v1/users').set('X-CSRF-Token', anon.body.csrfToken as string).send({ username: 'logged', email: 'logged@example.com', password }).expect(201);
      const tokens = [anon.body.csrfToken as string, created.body.csrfToken as string];
      const cookies = [sessionCookie(anon), sessionCookie(created)];
      await agent.put('/api/v1/me/picks').set('X-CSRF-Token', tokens[1]).send({ movieIds: FIVE_PICKS }).expect(200);
      await agent.delete('/api/v1/session').set('X-CSRF-Token', tokens[1]).expect(204);
      const again = await agent.get('/api/v1/session');
      tokens.push(again.body.csrfToken as string);
      cookies.push(sessionCookie(again));
      await agent.post('/api/v1/session').set('X-CSRF-Token', tokens[2]).send({ username: 'logged', password: `${password}-wrong` }).expect(401);
      const ok = await agent.post('/api/v1/session').set('X-CSRF-Token', tokens[2]).send({ username: 'logged', password }).expect(200);
      tokens.push(ok.body.csrfToken as string);
      cookies.push(sessionCookie(ok));
      // Bodies that fail to parse, or fail validation, carry the password too.
      await agent.post('/api/v1/session').set('X-CSRF-Token', tokens[3]).set('Content-Type', 'application/json').send(`{"username": "logged", "password": "${password}"`).expect(400);
      await agent.post('/api/v1/users').set('X-CSRF-Token', tokens[3]).send({ username: 'x', email: 'bad', password }).expect(400);
      // The log-in form, as a visitor (a logged-in user is sent away from it).
      const visitor = request.agent(t.app);
      const page = await visitor.get('/login').expect(200);
      await visitor.post('/login').type('form').send({ _csrf: formToken(page.text), username: 'logged', password: `${password}-form` }).expect(401);
      await request(t.app).post('/internal/tick').set('Authorization', `Bearer ${TICK_TOKEN}`).expect(200);
      await request(t.app).post('/internal/tick').set('Authorization', `Bearer ${TICK_TOKEN}-wrong`).expect(401);
      const hash = (await t.store.getPasswordHash(created.body.id as string))!;

      const text = t.logs.map((line) => JSON.stringify(line)).join('\n');
      assert.ok(t.logs.length > 10, 'requests were logged');
      const sids = cookies.filter((c): c is string => c !== undefined).map((c) => decodeURIComponent(c.slice('mh.sid='.length)).replace(/^s:/, '').split('.')[0]);
      for (const [what, value] of [
        ['the password', password],
        ['the password hash', hash],
        ['the tick token', TICK_TOKEN],
        ['the session secret', secret],
        ...tokens.map((v): [string, string] => ['a CSRF token', v]),
        ...sids.map((v): [string, string] => ['a session id', v]),
      ] as [string, string][]) {
        assert.ok(!text.includes(value), `${what} is in the logs`);
      }
      const requestLines = t.logs.filter((line) => line.msg === 'request completed') as { req?: object; res?: object }[];
      assert.ok(requestLines.length > 10, 'every request has its line');
      assert.ok(requestLines.every((line) => !('headers' in (line.req ?? {})) && !('headers' in (line.res ?? {}))), 'request lines carry no headers');
      // Should another line ever carry a request's headers, the logger blanks the secret ones.
      const lines: string[] = [];
      const cookie = cookies.find((c) => c !== undefined)!;
      createLogger({ LOG_LEVEL: 'info', NODE_ENV: 'test' }, { write: (line: string) => void lines.push(line) }).info({ req: { headers: { cookie, authorization: `Bearer ${TICK_TOKEN}`, 'x-csrf-token': tokens[0] } } }, 'headers');
      assert.ok(!lines[0].includes(TICK_TOKEN) && !lines[0].includes(tokens[0]) && !lines[0].includes(cookie), lines[0]);
      assert.equal(lines[0].match(/\[redacted\]/g)?.length, 3);
    } finally {
      await t.close();
    }
  });
});
