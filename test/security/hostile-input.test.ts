/**
 * Hostile input, case by case, on every route that reads input: wrong types, missing and extra fields, huge strings
 * and arrays, unicode edge cases, HTML in names and searches, ids out of range, wrong content types and encodings,
 * oversized and truncated bodies, broken escapes. Each answer is a 4xx in the error shape (or a page), never a 500 or a
 * stack, nothing unexpected is logged, and a rejected request stores nothing. (fuzz.test.ts throws random ones.)
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import bcrypt from 'bcrypt';
import request from 'supertest';
import {
  FIVE_PICKS,
  MARK_ATTR,
  MARK_TAG,
  OTHER_PICKS,
  PASSWORD,
  assertSafeAnswer,
  formToken,
  loggedErrors,
  makeSecureApp,
  signUp,
  snapshot,
  type SecureApp,
  type Session,
} from './support.js';

let t: SecureApp;
let victim: Session;

before(async () => {
  t = await makeSecureApp();
  victim = await signUp(t.app, 'victim', FIVE_PICKS);
});
after(() => t.close());

/** Sends, checks the answer is safe and logged no error, and (for a rejected request) that nothing changed. */
async function rejected(what: string, send: () => request.Test, expected: number | RegExp = /^4\d\d$/): Promise<request.Response> {
  const before = await snapshot(t.store, victim.id);
  const logs = t.logs.length;
  const res = await send();
  assertSafeAnswer(res, what);
  if (typeof expected === 'number') assert.equal(res.status, expected, `${what}: ${res.status} ${res.text.slice(0, 200)}`);
  else assert.match(String(res.status), expected, `${what}: ${res.status} ${res.text.slice(0, 200)}`);
  assert.deepEqual(loggedErrors(t.logs, logs), [], `${what}: logged an error`);
  assert.equal(await snapshot(t.store, victim.id), before, `${what}: something was stored`);
  return res;
}

const api = (agent: request.Agent, token: string) => ({
  signUp: (body: unknown) => agent.post('/api/v1/users').set('X-CSRF-Token', token).send(body as object),
  logIn: (body: unknown) => agent.post('/api/v1/session').set('X-CSRF-Token', token).send(body as object),
  picks: (body: unknown) => agent.put('/api/v1/me/picks').set('X-CSRF-Token', token).send(body as object),
  quick: (body: unknown) => agent.post('/api/v1/recommendations/quick').set('X-CSRF-Token', token).send(body as object),
  settings: (body: unknown) => agent.put('/api/v1/me/settings').set('X-CSRF-Token', token).send(body as object),
});

describe('wrong types, missing and extra fields', () => {
  test('sign-up: every field of the wrong type or missing is named; nothing is created', async () => {
    const anonymous = request.agent(t.app);
    const token = (await anonymous.get('/api/v1/session')).body.csrfToken as string;
    const call = api(anonymous, token);
    for (const body of [
      {},
      { username: 42, email: true, password: null },
      { username: ['alice'], email: { a: 1 }, password: ['x'.repeat(10)] },
      { username: 'newbie', email: 'n@example.com' },
      { username: 'newbie', password: PASSWORD },
      { email: 'n@example.com', password: PASSWORD },
    ]) {
      const res = await rejected(`POST /api/v1/users ${JSON.stringify(body)}`, () => call.signUp(body), 400);
      assert.equal(res.body.error.code, 'invalid_input');
      const missing = ['username', 'email', 'password'].filter((f) => typeof (body as Record<string, unknown>)[f] !== 'string');
      for (const field of missing) assert.ok(res.body.error.issues.some((i: { field: string }) => i.field === field), `${field} is named`);
    }
    for (const body of [null, [], ['a'], 'text', 7, true]) {
      await rejected(`POST /api/v1/users ${JSON.stringify(body)}`, () => anonymous.post('/api/v1/users').set('X-CSRF-Token', token).set('Content-Type', 'application/json').send(JSON.stringify(body)), 400);
    }
  });

  test('sign-up: extra fields are ignored, never stored (no role, id or hash from the client)', async () => {
    const agent = request.agent(t.app);
    const token = (await agent.get('/api/v1/session')).body.csrfToken as string;
    const res = await api(agent, token)
      .signUp({ username: 'extra', email: 'extra@example.com', password: PASSWORD, role: 'admin', id: 'chosen-id', passwordHash: 'x', createdAt: 1, isAdmin: true })
      .expect(201);
    assert.notEqual(res.body.id, 'chosen-id');
    const user = await t.store.getUser(res.body.id as string);
    assert.equal(user?.role, 'user');
    assert.ok(bcrypt.compareSync(PASSWORD, (await t.store.getPasswordHash(user.id))!), 'the hash is ours');
  });

  test('log-in: wrong types and missing fields are a 400; no session is started', async () => {
    const agent = request.agent(t.app);
    const token = (await agent.get('/api/v1/session')).body.csrfToken as string;
    for (const body of [{}, { username: 'victim' }, { password: PASSWORD }, { username: ['victim'], password: PASSWORD }, { username: 'victim', password: { $ne: '' } }, { username: { $gt: '' }, password: { $gt: '' } }]) {
      await rejected(`POST /api/v1/session ${JSON.stringify(body)}`, () => api(agent, token).logIn(body), 400);
    }
    assert.equal((await agent.get('/api/v1/session')).body.user, null);
  });

  test('picks and quick picks: wrong shapes, wrong types, ids out of range, duplicates, too few and too many', async () => {
    const anonymous = request.agent(t.app);
    const anonToken = (await anonymous.get('/api/v1/session')).body.csrfToken as string;
    const bodies: unknown[] = [
      {},
      { movieIds: null },
      { movieIds: '1,2,6,10,110' },
      { movieIds: { 0: 1, 1: 2, 2: 6, 3: 10, 4: 110 } },
      { movieIds: [1, 2, 6, 10] },
      { movieIds: [1, 2, 6, 10, 10] },
      { movieIds: [1, 2, 6, 10, '110'] },
      { movieIds: [1, 2, 6, 10, 110.5] },
      { movieIds: [1, 2, 6, 10, 0] },
      { movieIds: [1, 2, 6, 10, -110] },
      { movieIds: [1, 2, 6, 10, 2 ** 53] },
      { movieIds: [1, 2, 6, 10, 1e308] },
      { movieIds: [1, 2, 6, 10, 999_999_999] },
      { movieIds: [1, 2, 6, 10, null, true, [110], { id: 110 }] },
      { movieIds: Array.from({ length: 51 }, (_, i) => i + 1) },
      { movieIds: Array.from({ length: 2_000 }, (_, i) => i + 1) },
      { movieIds: [[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]] },
    ];
    for (const body of bodies) {
      const picks = await rejected(`PUT /api/v1/me/picks ${JSON.stringify(body).slice(0, 60)}`, () => api(victim.agent, victim.token).picks(body), 400);
      assert.equal(picks.body.error.code, 'invalid_input');
      assert.ok(picks.text.length < 4_000, 'the message stays short however long the list');
      await rejected(`POST /api/v1/recommendations/quick ${JSON.stringify(body).slice(0, 60)}`, () => api(anonymous, anonToken).quick(body), 400);
    }
    // Extra fields are ignored: a user id in the body changes nothing but the caller's own picks.
    const other = await signUp(t.app, 'other-user', OTHER_PICKS);
    await api(other.agent, other.token).picks({ movieIds: OTHER_PICKS, userId: victim.id }).expect(200);
    assert.deepEqual((await t.store.getUserStatus(victim.id))?.movieIds, FIVE_PICKS);
  });

  test('settings: wrong shapes and types of discoveryStep are a 400 naming it; nothing is stored', async () => {
    const before = await t.store.getUserSettings(victim.id);
    for (const body of [
      {},
      [],
      { discoveryStep: '' },
      { discoveryStep: 'discover ' },
      { discoveryStep: ['discover'] },
      { discoveryStep: { name: 'discover' } },
      { discoveryStep: 2 },
      { discoveryStep: 'x'.repeat(1_000) },
      { discoveryStep: '__proto__' },
      { discoveryStep: '<script>alert(1)</script>' },
      { discoveryStep: true },
    ]) {
      const res = await rejected(`PUT /api/v1/me/settings ${JSON.stringify(body)}`, () => api(victim.agent, victim.token).settings(body), 400);
      assert.equal(res.body.error.code, 'invalid_input');
      assert.ok(res.body.error.issues.some((i: { field: string }) => i.field === 'discoveryStep' || i.field === 'body'), JSON.stringify(body));
    }
    assert.deepEqual(await t.store.getUserSettings(victim.id), before);
  });

  test('JSON keys such as __proto__ and constructor pollute nothing', async () => {
    const polluting = '{"__proto__": {"polluted": "yes", "role": "admin"}, "constructor": {"prototype": {"polluted": "yes"}}, "movieIds": [1, 2, 6, 10, 110]}';
    await request(t.app).post('/api/v1/recommendations/quick').set('Cookie', cookieOf(victim)).set('X-CSRF-Token', victim.token).set('Content-Type', 'application/json').send(polluting).expect(200);
    const agent = request.agent(t.app);
    const token = (await agent.get('/api/v1/session')).body.csrfToken as string;
    const body = '{"username": "proto", "email": "proto@example.com", "password": "long enough!", "__proto__": {"role": "admin"}}';
    const res = await agent.post('/api/v1/users').set('X-CSRF-Token', token).set('Content-Type', 'application/json').send(body).expect(201);
    assert.equal((await t.store.getUser(res.body.id as string))?.role, 'user');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(({} as Record<string, unknown>).role, undefined);
  });
});

describe('huge strings and arrays, unicode', () => {
  test('huge strings are refused by the rules (400) or the body limit (413), never stored', async () => {
    const agent = request.agent(t.app);
    const token = (await agent.get('/api/v1/session')).body.csrfToken as string;
    const call = api(agent, token);
    await rejected('POST /api/v1/users 10k username', () => call.signUp({ username: 'u'.repeat(10_000), email: 'u@example.com', password: PASSWORD }), 400);
    await rejected('POST /api/v1/users 1M email', () => call.signUp({ username: 'huge', email: `${'e'.repeat(1_000_000)}@example.com`, password: PASSWORD }), 413);
    await rejected('POST /api/v1/session 10k password', () => call.logIn({ username: 'victim', password: 'p'.repeat(10_000) }), 401);
    await rejected('POST /api/v1/session 10k username', () => call.logIn({ username: 'v'.repeat(10_000), password: PASSWORD }), 401);
    await rejected('PUT /api/v1/me/picks 20k ids', () => api(victim.agent, victim.token).picks({ movieIds: Array.from({ length: 20_000 }, () => 1) }), 413);
    const q = await rejected('GET /api/v1/movies 5k query', () => request(t.app).get('/api/v1/movies').query({ q: 'q'.repeat(5_000) }), 400);
    assert.equal(q.body.error.issues[0].field, 'q');
    await rejected('GET /picks 5k query', () => victim.agent.get('/picks').query({ q: `${MARK_TAG}${'q'.repeat(5_000)}` }), 200);
    // Past Node's header limit the server itself answers 431; the app never sees it.
    await rejected('GET /api/v1/movies 40k URL', () => request(t.app).get(`/api/v1/movies?q=${'a'.repeat(40_000)}`), 431);
  });

  test('unicode edge cases: sign-up refuses them in names; log-in, search and genres answer calmly', async () => {
    const agent = request.agent(t.app);
    const token = (await agent.get('/api/v1/session')).body.csrfToken as string;
    const call = api(agent, token);
    const weird = ['\u0000nul', 'bidi\u202eevil', 'zero\u200bwidth', 'e\u0301\u0301\u0301', '😀😀😀', '\ud800lone', 'ＡＬＩＣＥ', 'İstanbul', 'ﬁne'];
    for (const name of weird) {
      await rejected(`POST /api/v1/users ${JSON.stringify(name)}`, () => call.signUp({ username: name, email: 'w@example.com', password: PASSWORD }), 400);
      await rejected(`POST /api/v1/session ${JSON.stringify(name)}`, () => call.logIn({ username: name, password: PASSWORD }), 401);
      const search = await rejected(`GET /api/v1/movies ${JSON.stringify(name)}`, () => request(t.app).get('/api/v1/movies').query({ q: name }), 200);
      assert.ok(Array.isArray(search.body.items));
      await rejected(`GET /api/v1/best-movies ${JSON.stringify(name)}`, () => request(t.app).get('/api/v1/best-movies').query({ genre: name }), 400);
    }
    // A password counts bytes, not characters: 18 emoji are 72 bytes (accepted), one more character is refused.
    await rejected('POST /api/v1/users 73-byte password', () => call.signUp({ username: 'emoji', email: 'emoji@example.com', password: `${'😀'.repeat(18)}x` }), 400);
    await call.signUp({ username: 'emoji', email: 'emoji@example.com', password: '😀'.repeat(18) }).expect(201);
    // A lone surrogate in a password is not a crash either.
    const other = request.agent(t.app);
    const otherToken = (await other.get('/api/v1/session')).body.csrfToken as string;
    await rejected('POST /api/v1/session lone surrogate', () => api(other, otherToken).logIn({ username: 'victim', password: '\ud800\ud800\ud800\ud800' }), 401);
  });
});

describe('HTML and script are escaped wherever they are shown', () => {
  test('in the sign-up and log-in forms shown again with their problems', async () => {
    const agent = request.agent(t.app);
    for (const [path, fields] of [
      ['/signup', { username: `<script>alert(1)</script>${MARK_TAG}`, email: `x${MARK_ATTR}@example.com`, password: 'short' }],
      ['/login', { username: `"><img src=x onerror=alert(1)>${MARK_ATTR}`, password: 'wrong password' }],
    ] as const) {
      const page = await agent.get(path).expect(200);
      const res = await rejected(`POST ${path}`, () => agent.post(path).type('form').send({ _csrf: formToken(page.text), ...fields }), /^(400|401)$/);
      assert.match(res.text, /&lt;script&gt;alert\(1\)&lt;\/script&gt;|&#34;&gt;&lt;img src=x/);
    }
  });

  test('in searches: the picker, the genre filter, and JSON answers that a browser will not sniff', async () => {
    const picker = await rejected('GET /picks?q=<script>', () => victim.agent.get('/picks').query({ q: `<script>alert(1)</script>${MARK_TAG}${MARK_ATTR}` }), 200);
    assert.ok(picker.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;&lt;mh-x&gt;'));
    const genre = await rejected('GET /best-movies?genre=<script>', () => request(t.app).get('/best-movies').query({ genre: `<script>alert(1)</script>${MARK_ATTR}` }), 400);
    assert.match(genre.text, /Unknown genre &#34;&lt;script&gt;/);
    const json = await request(t.app).get('/api/v1/best-movies').query({ genre: '<script>alert(1)</script>' }).expect(400);
    assert.match(json.headers['content-type'], /^application\/json/);
    assert.equal(json.headers['x-content-type-options'], 'nosniff');
  });

  test('a username holding HTML (an account made outside the sign-up rules) is escaped on every page it appears', async () => {
    const username = `<script>alert(1)</script>${MARK_TAG}${MARK_ATTR}`;
    await t.store.createUser({ username, email: 'legacy@example.com', passwordHash: await bcrypt.hash(PASSWORD, 4), now: Date.now() });
    const agent = request.agent(t.app);
    const token = (await agent.get('/api/v1/session')).body.csrfToken as string;
    const res = await agent.post('/api/v1/session').set('X-CSRF-Token', token).send({ username, password: PASSWORD }).expect(200);
    const fresh = res.body.csrfToken as string;
    await agent.put('/api/v1/me/picks').set('X-CSRF-Token', fresh).send({ movieIds: FIVE_PICKS }).expect(200);
    for (const path of ['/', '/picks', '/recommendations', '/recommendations/quick', '/best-movies', '/insights', '/no-such-page']) {
      const page = await agent.get(path);
      assertSafeAnswer(page, `GET ${path}`);
      assert.ok(page.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), `${path} shows the name, escaped`);
    }
    // The account forms send a logged-in user home.
    for (const path of ['/login', '/signup']) await agent.get(path).expect(303).expect('Location', '/');
  });
});

describe('ids out of range and broken paths', () => {
  test('movie ids in paths: malformed is 400, unknown is 404, never a 500', async () => {
    for (const id of ['0', '-1', '1.5', '1e3', '0x10', 'abc', '%20', '9007199254740993', '99999999999999999999', '1%00', '%ZZ', '%E0%A4%A', '..%2F..%2Fpackage.json']) {
      await rejected(`GET /api/v1/movies/${id}`, () => request(t.app).get(`/api/v1/movies/${id}`), /^(400|404)$/);
    }
    await rejected('GET /api/v1/movies/193610', () => request(t.app).get('/api/v1/movies/193610'), 404);
    for (const path of ['/posters/%ZZ.svg', '/posters/0.svg', '/posters/99999999999999999999.svg', '/posters/-1.svg', '/%ZZ', '/static/%ZZ', '/static/..%2F..%2Fpackage.json', '/api/v1/%ZZ']) {
      await rejected(`GET ${path}`, () => request(t.app).get(path), /^(400|404)$/);
    }
  });

  test('the picker forms: ids out of range or of the wrong type change nothing', async () => {
    const page = await victim.agent.get('/picks').expect(200);
    const token = formToken(page.text);
    for (const movieId of ['0', '-5', '1.5', '99999999999999999999', 'abc', '', `<script>${MARK_TAG}`]) {
      for (const path of ['/picks/add', '/picks/remove']) {
        await rejected(`POST ${path} ${movieId}`, () => victim.agent.post(path).type('form').send({ _csrf: token, movieId, q: MARK_ATTR }), 303);
      }
    }
    for (const ids of [['1', '2'], ['1', '2', '6', '10', 'x'], ['0', '1', '2', '6', '10'], Array.from({ length: 51 }, (_, i) => String(i + 1)), ['1', '1', '2', '6', '10']]) {
      const form = new URLSearchParams([['_csrf', token], ...ids.map((id): [string, string] => ['movieIds', id])]).toString();
      await rejected(`POST /picks ${ids.length}`, () => victim.agent.post('/picks').type('form').send(form), 400);
    }
    // Nested field names are not parsed into objects (extended: false).
    await rejected('POST /picks movieIds[a]', () => victim.agent.post('/picks').type('form').send(`_csrf=${encodeURIComponent(token)}&movieIds[a]=1&movieIds[b]=2`), 400);
    await victim.agent.post('/picks/remove').type('form').send({ _csrf: token, movieId: '1' }); // leave no draft behind
    await victim.agent.post('/picks').type('form').send(new URLSearchParams([['_csrf', token], ...FIVE_PICKS.map((id): [string, string] => ['movieIds', String(id)])]).toString()).expect(303);
  });

  test('query strings: repeated, nested and out-of-range parameters', async () => {
    for (const query of ['q=a&q=b', 'q[a]=b', 'q[]=a', 'limit=0', 'limit=-1', 'limit=51', 'limit=1.5', 'limit=0x10', 'limit=1e1', 'limit=a&limit=b', 'q=%ZZ&limit=%ZZ', 'q=%00']) {
      await rejected(`GET /api/v1/movies?${query}`, () => request(t.app).get(`/api/v1/movies?${query}`), /^(200|400)$/);
      await rejected(`GET /picks?${query}`, () => victim.agent.get(`/picks?${query}`), 200);
    }
    for (const query of ['genre=a&genre=b', 'genre[x]=1', 'genre=%ZZ', `genre=${'g'.repeat(500)}`]) {
      await rejected(`GET /api/v1/best-movies?${query}`, () => request(t.app).get(`/api/v1/best-movies?${query}`), /^(200|400)$/);
      await rejected(`GET /best-movies?${query}`, () => request(t.app).get(`/best-movies?${query}`), /^(200|400)$/);
    }
  });
});

describe('content types, encodings, oversized and truncated bodies', () => {
  const json = (agent: request.Agent, token: string) => agent.put('/api/v1/me/picks').set('X-CSRF-Token', token);

  test('a body that is not JSON on the API is a 415, whatever it claims to be', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/jsonp', 'text/json']) {
      await rejected(`PUT /api/v1/me/picks as ${type}`, () => json(victim.agent, victim.token).set('Content-Type', type).send('movieIds=1&movieIds=2'), 415);
    }
    // UTF-16 is a charset JSON may come in: read as such, these bytes are not JSON.
    await rejected('PUT /api/v1/me/picks utf-16 JSON', () => json(victim.agent, victim.token).set('Content-Type', 'application/json; charset=utf-16').send('{"movieIds":[]}'), 400);
    await rejected('PUT /api/v1/me/picks latin1 JSON', () => json(victim.agent, victim.token).set('Content-Type', 'application/json; charset=latin1').send('{"movieIds":[]}'), 415);
  });

  test('broken JSON is a 400', async () => {
    for (const text of ['{"movieIds": [1, 2,', '{movieIds: [1]}', "{'movieIds': [1]}", '\u0000', '{"a":1}}', '[', '"\ud800"', '['.repeat(5_000)]) {
      await rejected(`PUT /api/v1/me/picks ${JSON.stringify(text).slice(0, 30)}`, () => json(victim.agent, victim.token).set('Content-Type', 'application/json').send(text), 400);
    }
  });

  test('oversized bodies are a 413 on the API and the forms; too many form fields too', async () => {
    await rejected('PUT /api/v1/me/picks 17 kB', () => json(victim.agent, victim.token).send({ movieIds: FIVE_PICKS, pad: 'p'.repeat(17 * 1024) }), 413);
    const page = await victim.agent.get('/picks').expect(200);
    const token = formToken(page.text);
    await rejected('POST /picks 17 kB', () => victim.agent.post('/picks').type('form').send(`_csrf=${encodeURIComponent(token)}&pad=${'p'.repeat(17 * 1024)}`), 413);
    const many = [`_csrf=${encodeURIComponent(token)}`, ...Array.from({ length: 300 }, (_, i) => `f${i}=1`)].join('&');
    await rejected('POST /picks 300 fields', () => victim.agent.post('/picks').type('form').send(many), 413);
  });

  describe('over a raw socket', () => {
    let server: Server;
    let port: number;
    before(async () => {
      server = createServer(t.app);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    /** Writes `raw`, optionally half-closes, and returns whatever comes back before the server closes or 2 s pass. */
    function raw(text: string | Buffer, end = true): Promise<string> {
      return new Promise((resolve) => {
        const socket = connect(port, '127.0.0.1');
        const chunks: Buffer[] = [];
        const timer = setTimeout(() => socket.destroy(), 2_000);
        socket.on('data', (chunk) => chunks.push(chunk));
        socket.on('error', () => undefined);
        socket.on('close', () => {
          clearTimeout(timer);
          resolve(Buffer.concat(chunks).toString('utf8'));
        });
        socket.write(text);
        if (end) socket.end();
      });
    }

    const head = (method: string, path: string, headers: Record<string, string | number>) =>
      `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookieOf(victim)}\r\nX-CSRF-Token: ${victim.token}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;

    test('a truncated body (the client stops half way) is dropped: nothing stored, nothing logged as a failure', async () => {
      const before = await snapshot(t.store, victim.id);
      const logs = t.logs.length;
      const body = JSON.stringify({ movieIds: OTHER_PICKS });
      const answer = await raw(head('PUT', '/api/v1/me/picks', { 'Content-Type': 'application/json', 'Content-Length': body.length + 40 }) + body);
      assert.doesNotMatch(answer, /^HTTP\/1\.1 5/);
      // The same truncation with a chunked body that never sends its last chunk.
      const chunked = await raw(`${head('PUT', '/api/v1/me/picks', { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' })}${body.length.toString(16)}\r\n${body.slice(0, 10)}`);
      assert.doesNotMatch(chunked, /^HTTP\/1\.1 5/);
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(await snapshot(t.store, victim.id), before);
      assert.deepEqual(loggedErrors(t.logs, logs), []);
    });

    /** One request over a fresh connection with exactly these bytes as the body. */
    function send(method: string, path: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; headers: Record<string, unknown>; text: string; body: unknown }> {
      return new Promise((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, method, path, agent: false, headers: { cookie: cookieOf(victim), 'x-csrf-token': victim.token, 'content-length': body.length, ...headers } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown;
            try {
              parsed = JSON.parse(text);
            } catch {
              parsed = undefined;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: parsed });
          });
        });
        req.on('error', reject);
        req.end(body);
      });
    }

    test('broken compression is a 400, an unknown encoding a 415, a compression bomb stops at the limit', async () => {
      const put = (encoding: string, body: Buffer) => send('PUT', '/api/v1/me/picks', { 'content-type': 'application/json', 'content-encoding': encoding }, body);
      const garbage = Buffer.from('this is not compressed at all');
      for (const encoding of ['gzip', 'deflate', 'br']) {
        const res = await checked(`PUT /api/v1/me/picks ${encoding} garbage`, () => put(encoding, garbage));
        assert.equal(res.status, 400);
      }
      const unknown = await checked('PUT /api/v1/me/picks x-unknown', () => put('x-unknown', Buffer.from('{}')));
      assert.equal(unknown.status, 415);
      // Properly compressed picks are read (the encoding itself is fine).
      await checked('PUT /api/v1/me/picks gzip', () => put('gzip', gzipSync(JSON.stringify({ movieIds: OTHER_PICKS }))), true);
      await checked('PUT /api/v1/me/picks gzip back', () => put('gzip', gzipSync(JSON.stringify({ movieIds: FIVE_PICKS }))), true);
      // 5 MB of JSON in under 16 kB of gzip: refused once 16 kB are inflated, never inflated whole.
      const bomb = gzipSync(Buffer.from(JSON.stringify({ movieIds: [1, 2, 6, 10, 110], pad: 'z'.repeat(5_000_000) })));
      assert.ok(bomb.length < 16_000);
      const res = await checked('PUT /api/v1/me/picks gzip bomb', () => put('gzip', bomb));
      assert.equal(res.status, 413);
    });

    /** rejected() for requests made with send(); `changes` when the request is meant to store something. */
    async function checked(what: string, make: () => ReturnType<typeof send>, changes = false) {
      const before = await snapshot(t.store, victim.id);
      const logs = t.logs.length;
      const res = await make();
      assertSafeAnswer(res, what);
      assert.deepEqual(loggedErrors(t.logs, logs), [], `${what}: logged an error`);
      if (!changes) assert.equal(await snapshot(t.store, victim.id), before, `${what}: something was stored`);
      else assert.equal(res.status, 200, `${what}: ${res.status} ${res.text}`);
      return res;
    }

    test('malformed HTTP and a body longer than announced are answered by the server, which keeps serving', async () => {
      for (const text of [
        'GARBAGE\r\n\r\n',
        `PUT /api/v1/me/picks HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`,
        `PUT /api/v1/me/picks HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello`,
        `GET / HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0000b\r\n\r\n`,
      ]) {
        assert.doesNotMatch(await raw(text), /^HTTP\/1\.1 5/, JSON.stringify(text));
      }
      const body = JSON.stringify({ movieIds: OTHER_PICKS });
      const longer = await raw(head('PUT', '/api/v1/me/picks', { 'Content-Type': 'application/json', 'Content-Length': 5 }) + body);
      assert.doesNotMatch(longer, /HTTP\/1\.1 5\d\d/);
      assert.deepEqual((await t.store.getUserStatus(victim.id))?.movieIds, FIVE_PICKS);
      await request(server).get('/healthz').expect(200);
    });
  });
});

describe('headers', () => {
  test('garbage, forged and oversized session cookies give a fresh anonymous session, never a 500', async () => {
    for (const cookie of ['mh.sid=garbage', 'mh.sid=s%3Aforged.signature', `mh.sid=${'a'.repeat(4_000)}`, 'mh.sid=%E0%A4%A', `mh.sid=s%3A${victim.id}.x`, 'mh.sid=1; mh.sid=2', '=;;;==']) {
      const res = await rejected(`GET /api/v1/session (${cookie.slice(0, 20)})`, () => request(t.app).get('/api/v1/session').set('Cookie', cookie), 200);
      assert.equal(res.body.user, null);
    }
  });

  test('odd methods on every route are a 404 or 405-like answer, never a 500', async () => {
    for (const method of ['patch', 'options', 'head', 'delete', 'put', 'post'] as const) {
      for (const path of ['/', '/picks', '/api/v1/movies', '/api/v1/me/picks', '/api/v1/users', '/internal/tick', '/operations', '/healthz']) {
        const res = await request(t.app)[method](path).set('Cookie', cookieOf(victim));
        assertSafeAnswer(res, `${method.toUpperCase()} ${path}`);
      }
    }
  });
});

/** The session cookie header of a logged-in session. */
function cookieOf(session: Session): string {
  return session.cookie;
}
