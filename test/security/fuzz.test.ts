/**
 * Property-based fuzzing (fast-check) of every API route and every form: random, mostly hostile bodies, queries and
 * paths, with and without a session and a CSRF token. For every request: no 5xx, no stack, the API's error shape,
 * no hostile marker unescaped in a page, no unexpected error logged, and nothing stored when the request was refused.
 * Seeded (FUZZ_SEED to replay a failure; FUZZ_RUNS to run longer), so CI runs the same cases each time.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import request from 'supertest';
import {
  FIVE_PICKS,
  PASSWORD,
  TICK_TOKEN,
  assertSafeAnswer,
  fieldValue,
  hostileBody,
  hostileJson,
  hostileMovieIds,
  hostileString,
  loggedErrors,
  logIn,
  makeSecureApp,
  signUp,
  snapshot,
  type SecureApp,
} from './support.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_251_124);
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);

/** One generated request. */
interface Call {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  path: string;
  /** JSON value, a form (urlencoded pairs), raw text, or nothing. */
  body?: { json: unknown } | { form: [string, string][] } | { raw: string; type: string };
  /** Who sends it: the logged-in victim, an anonymous visitor with a session, or nobody at all. */
  as: 'victim' | 'anonymous' | 'stranger';
  /** The CSRF token: the right one, a wrong one, or none. */
  csrf: 'right' | 'wrong' | 'none';
  headers?: Record<string, string>;
}

let t: SecureApp;
let victimId: string;

before(async () => {
  t = await makeSecureApp();
  victimId = (await signUp(t.app, 'victim', FIVE_PICKS)).id;
});
after(() => t.close());

/** Sends `call` as its sender and checks every invariant; a refused request must leave the store as it was. */
async function check(call: Call): Promise<void> {
  // A fresh session per case, so one case (a log-out, a sign-up) never changes the next.
  let agent: request.Agent | null = null;
  let token = '';
  if (call.as === 'victim') ({ agent, token } = await logIn(t.app, 'victim', PASSWORD));
  else if (call.as === 'anonymous') {
    agent = request.agent(t.app);
    token = (await agent.get('/api/v1/session').expect(200)).body.csrfToken as string;
  }
  const before = await snapshot(t.store, victimId);
  const logs = t.logs.length;

  const base = agent ?? request(t.app);
  let req = base[call.method.toLowerCase() as 'get'](call.path);
  if (call.csrf === 'right' && token) req = req.set('X-CSRF-Token', token);
  if (call.csrf === 'wrong') req = req.set('X-CSRF-Token', `${token.slice(1)}x`);
  for (const [name, value] of Object.entries(call.headers ?? {})) req = req.set(name, value);
  if (call.body && 'json' in call.body) req = req.set('Content-Type', 'application/json').send(JSON.stringify(call.body.json) ?? 'null');
  else if (call.body && 'form' in call.body) {
    const pairs = call.body.form.map(([k, v]): [string, string] => [k, k === '_csrf' && v === '<token>' ? token : v]);
    req = req.type('form').send(new URLSearchParams(pairs).toString());
  } else if (call.body && 'raw' in call.body) req = req.set('Content-Type', call.body.type).send(call.body.raw);
  const res = await req;

  const what = `${call.method} ${call.path}`;
  assertSafeAnswer(res, what);
  assert.deepEqual(loggedErrors(t.logs, logs), [], `${what}: logged an unexpected error`);
  if (res.status >= 400) assert.equal(await snapshot(t.store, victimId), before, `${what}: a refused request (${res.status}) stored something`);
  // A state-changing request without its session's token never succeeds (CSRF), whatever else it carries.
  const form = call.body && 'form' in call.body ? call.body.form : null;
  const rightToken = token !== '' && (form ? form.filter(([k]) => k === '_csrf').length === 1 && form[0][1] === '<token>' : call.csrf === 'right');
  if (call.method !== 'GET' && !call.path.startsWith('/internal/') && !rightToken) {
    assert.ok(res.status >= 400, `${what} without the right CSRF token: ${res.status}`);
    assert.equal(await snapshot(t.store, victimId), before);
  }
}

/** Percent-encodes any string, lone surrogates included (as U+FFFD), every byte but the unreserved ones. */
function pct(value: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(value)) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9_.~-]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const sender = fc.constantFrom<Call['as']>('victim', 'victim', 'anonymous', 'stranger');
const csrf = fc.constantFrom<Call['csrf']>('right', 'right', 'right', 'wrong', 'none');
const encoded = (value: fc.Arbitrary<string>) => value.map((s) => pct(s));
/** A query value: text, or the name repeated, or a nested name. */
const queryOf = (name: string) =>
  fc.oneof(
    hostileString.map((v) => `${name}=${pct(v)}`),
    fc.tuple(hostileString, hostileString).map(([a, b]) => `${name}=${pct(a)}&${name}=${pct(b)}`),
    hostileString.map((v) => `${name}[x]=${pct(v)}`),
    fc.string({ maxLength: 20 }).map((v) => `${name}=${v.replace(/[#&\s]/g, '')}`), // raw, %-escapes may be broken
  );
/** A form: the given fields (hostile values), sometimes repeated, plus junk fields; `_csrf` usually the right token. */
const formOf = (fields: readonly string[]) =>
  fc
    .tuple(
      fc.array(fc.tuple(fc.constantFrom(...fields), hostileString), { maxLength: 8 }),
      fc.array(fc.tuple(hostileString, hostileString), { maxLength: 3 }),
      fc.constantFrom('<token>', '<token>', '<token>', 'wrong', ''),
    )
    .map(([known, junk, token]): [string, string][] => [['_csrf', token], ...known, ...junk]);
const jsonBodyOf = (fields: readonly string[], value?: fc.Arbitrary<unknown>) => hostileBody(fields, value).map((json) => ({ json }));
/** Sometimes the body is not JSON at all, or of the wrong type. */
const anyBody = (json: fc.Arbitrary<{ json: unknown }>) =>
  fc.oneof(
    { weight: 6, arbitrary: json },
    { weight: 1, arbitrary: fc.record({ raw: hostileString, type: fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/xml') }) },
  );

const routes: Record<string, fc.Arbitrary<Call>> = {
  'POST /api/v1/users': fc.record({ method: fc.constant('POST' as const), path: fc.constant('/api/v1/users'), body: anyBody(jsonBodyOf(['username', 'email', 'password'])), as: sender, csrf }),
  'POST /api/v1/session': fc.record({ method: fc.constant('POST' as const), path: fc.constant('/api/v1/session'), body: anyBody(jsonBodyOf(['username', 'password'])), as: sender, csrf }),
  'DELETE /api/v1/session': fc.record({ method: fc.constant('DELETE' as const), path: fc.constant('/api/v1/session'), body: fc.option(anyBody(hostileJson.map((json) => ({ json }))), { nil: undefined }), as: sender, csrf }),
  'GET /api/v1/session': fc.record({ method: fc.constant('GET' as const), path: queryOf('x').map((q) => `/api/v1/session?${q}`), as: sender, csrf }),
  'GET /api/v1/movies': fc.record({
    method: fc.constant('GET' as const),
    path: fc.tuple(queryOf('q'), fc.option(queryOf('limit'), { nil: '' })).map(([q, limit]) => `/api/v1/movies?${q}&${limit}`),
    as: sender,
    csrf,
  }),
  'GET /api/v1/movies/:id': fc.record({
    method: fc.constant('GET' as const),
    path: fc.oneof(encoded(hostileString), fc.integer({ min: -10, max: 300_000 }).map(String), fc.string({ maxLength: 12 }).map((s) => s.replace(/[/?#\s]/g, ''))).map((id) => `/api/v1/movies/${id}`),
    as: sender,
    csrf,
  }),
  'GET /api/v1/me/picks': fc.record({ method: fc.constant('GET' as const), path: fc.constant('/api/v1/me/picks'), as: sender, csrf }),
  'PUT /api/v1/me/picks': fc.record({
    method: fc.constant('PUT' as const),
    path: fc.constant('/api/v1/me/picks'),
    body: anyBody(jsonBodyOf(['movieIds'], hostileMovieIds)),
    as: sender,
    csrf,
  }),
  'GET /api/v1/me/recommendations': fc.record({ method: fc.constantFrom('GET' as const), path: fc.constantFrom('/api/v1/me/recommendations', '/api/v1/me/recommendations/quick'), as: sender, csrf }),
  'POST /api/v1/recommendations/quick': fc.record({
    method: fc.constant('POST' as const),
    path: fc.constant('/api/v1/recommendations/quick'),
    body: anyBody(jsonBodyOf(['movieIds'], hostileMovieIds)),
    as: sender,
    csrf,
  }),
  'GET /api/v1/best-movies': fc.record({ method: fc.constant('GET' as const), path: queryOf('genre').map((q) => `/api/v1/best-movies?${q}`), as: sender, csrf }),
  'POST /internal/tick': fc.record({
    method: fc.constantFrom('POST' as const, 'GET' as const),
    path: fc.constant('/internal/tick'),
    body: fc.option(anyBody(hostileJson.map((json) => ({ json }))), { nil: undefined }),
    headers: fc.oneof(
      fc.constant<Record<string, string>>({}),
      // eslint-disable-next-line no-control-regex -- strips what an HTTP header cannot carry, control characters included
      hostileString.map((s): Record<string, string> => ({ Authorization: `Bearer ${s.replace(/[\r\n\u0000-\u001f\u007f-\uffff]/g, '')}` })),
      fc.constantFrom<Record<string, string>>({ Authorization: `Bearer ${TICK_TOKEN}x` }, { Authorization: `Basic ${TICK_TOKEN}` }, { Authorization: TICK_TOKEN }, { 'X-CSRF-Token': TICK_TOKEN }),
    ),
    as: sender,
    csrf,
  }),
  'GET /healthz, /readyz': fc.record({ method: fc.constantFrom('GET' as const, 'POST' as const), path: fc.constantFrom('/healthz', '/readyz'), as: sender, csrf }),
  'POST /signup': fc.record({ method: fc.constant('POST' as const), path: fc.constant('/signup'), body: formOf(['username', 'email', 'password']).map((form) => ({ form })), as: sender, csrf: fc.constant('none' as const) }),
  'POST /login': fc.record({ method: fc.constant('POST' as const), path: fc.constant('/login'), body: formOf(['username', 'password']).map((form) => ({ form })), as: sender, csrf: fc.constant('none' as const) }),
  'POST /logout': fc.record({ method: fc.constant('POST' as const), path: fc.constant('/logout'), body: formOf(['x']).map((form) => ({ form })), as: sender, csrf: fc.constant('none' as const) }),
  'POST /picks/add, /picks/remove': fc.record({
    method: fc.constant('POST' as const),
    path: fc.constantFrom('/picks/add', '/picks/remove'),
    body: formOf(['movieId', 'q']).map((form) => ({ form })),
    as: sender,
    csrf: fc.constant('none' as const),
  }),
  'POST /picks': fc.record({
    method: fc.constant('POST' as const),
    path: fc.constant('/picks'),
    body: fc
      .tuple(formOf(['movieIds']), fc.array(fc.constantFrom('1', '2', '6', '10', '110', '260', '0', '-1', '1076', '193610', '1.5'), { maxLength: 55 }))
      .map(([form, ids]) => ({ form: [...form, ...ids.map((id): [string, string] => ['movieIds', id])] })),
    as: sender,
    csrf: fc.constant('none' as const),
  }),
  'GET pages': fc.record({
    method: fc.constant('GET' as const),
    path: fc.oneof(
      fc.constantFrom('/', '/signup', '/login', '/picks', '/recommendations', '/recommendations/quick', '/best-movies', '/insights', '/operations', '/posters/1.svg'),
      queryOf('q').map((q) => `/picks?${q}`),
      queryOf('genre').map((q) => `/best-movies?${q}`),
      encoded(hostileString).map((s) => `/posters/${s}.svg`),
      encoded(hostileString).map((s) => `/${s}`),
    ),
    as: sender,
    csrf,
  }),
  'any method, any path': fc.record({
    method: fc.constantFrom('GET' as const, 'POST' as const, 'PUT' as const, 'DELETE' as const, 'PATCH' as const),
    path: fc.oneof(encoded(hostileString), fc.string({ maxLength: 30 }).map((s) => s.replace(/[#?\s]/g, ''))).map((s) => `/${s}`),
    body: fc.option(anyBody(hostileJson.map((json) => ({ json }))), { nil: undefined }),
    as: sender,
    csrf,
  }),
};

describe('fuzzing every API route and form', () => {
  for (const [name, arbitrary] of Object.entries(routes)) {
    test(name, async () => {
      await fc.assert(fc.asyncProperty(arbitrary, check), { seed: SEED, numRuns: RUNS, endOnFailure: true });
    });
  }

  test('the field values themselves: sign-up with any value in any field never stores a half-made account', async () => {
    await fc.assert(
      fc.asyncProperty(fc.record({ username: fieldValue, email: fieldValue, password: fieldValue }), async (body) => {
        const agent = request.agent(t.app);
        const token = (await agent.get('/api/v1/session')).body.csrfToken as string;
        const before = await snapshot(t.store);
        const res = await agent.post('/api/v1/users').set('X-CSRF-Token', token).send(body);
        assertSafeAnswer(res, 'POST /api/v1/users');
        if (res.status === 201) {
          // Whatever was accepted follows the rules and logs in.
          assert.match(res.body.username as string, /^[A-Za-z0-9_.-]{3,32}$/);
          await logIn(t.app, res.body.username as string, body.password as string);
        } else {
          assert.equal(await snapshot(t.store), before, 'a refused sign-up stored something');
        }
      }),
      { seed: SEED, numRuns: RUNS * 2 },
    );
  });
});
