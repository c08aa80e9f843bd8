import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { createTmdbClient, retryAfterMs, TmdbError, TmdbRateLimitError } from '../../src/posters/tmdb-client.js';
import { startFakeTmdb, type FakeTmdb } from './fake-tmdb.js';

const KEY = 'secret-tmdb-key-0123456789';

/** The error a promise rejects with; fails when it resolves. */
async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof Error);
    assert.ok(!err.message.includes(KEY) && !String(err.stack).includes(KEY), `the key leaked into: ${err.message}`);
    return err;
  }
  assert.fail('expected a failure');
}

describe('TMDB client against a local stand-in', () => {
  let tmdb: FakeTmdb;
  before(async () => {
    tmdb = await startFakeTmdb(KEY);
  });
  after(() => tmdb.close());

  const client = (timeoutMs = 2000, apiKey = KEY) => createTmdbClient({ apiUrl: tmdb.apiUrl, apiKey, timeoutMs });

  test('200: the poster path, asked for with the key as api_key', async () => {
    assert.deepEqual(await client().posterPath(862), { kind: 'found', path: '/p862.jpg' });
    assert.equal(tmdb.requests.at(-1), `/3/movie/862?api_key=${KEY}`);
  });

  test('a trailing slash on the API URL is fine', async () => {
    const slash = createTmdbClient({ apiUrl: `${tmdb.apiUrl}/`, apiKey: KEY });
    assert.deepEqual(await slash.posterPath(863), { kind: 'found', path: '/p863.jpg' });
  });

  test('200 with poster_path null, and 404: no poster', async () => {
    tmdb.script(1, { kind: 'poster', path: null });
    assert.deepEqual(await client().posterPath(1), { kind: 'none' });
    tmdb.script(2, { kind: 'status', status: 404, body: '{"status_code":34}' });
    assert.deepEqual(await client().posterPath(2), { kind: 'none' });
  });

  test('429: a rate-limit error carrying Retry-After', async () => {
    tmdb.script(3, { kind: 'status', status: 429, headers: { 'retry-after': '7' } });
    const err = await failure(client().posterPath(3));
    assert.ok(err instanceof TmdbRateLimitError);
    assert.equal(err.retryAfterMs, 7000);
  });

  test('401 (a wrong key), 500 and a malformed answer: errors with the status, never the key', async () => {
    const wrongKey = await failure(client(2000, 'wrong-key').posterPath(4));
    assert.ok(wrongKey instanceof TmdbError);
    assert.equal(wrongKey.status, 401);
    tmdb.script(5, { kind: 'status', status: 500 });
    const server = await failure(client().posterPath(5));
    assert.equal((server as TmdbError).status, 500);
    assert.match(server.message, /answered 500 for movie 5/);
    tmdb.script(6, { kind: 'poster', path: 'javascript:alert(1)' });
    assert.match((await failure(client().posterPath(6))).message, /malformed/);
    tmdb.script(7, { kind: 'status', status: 200, body: '<html>' });
    assert.match((await failure(client().posterPath(7))).message, /not JSON/);
  });

  test('a server that never answers: a timeout error within the limit', async () => {
    tmdb.script(8, { kind: 'hang' });
    const started = Date.now();
    const err = await failure(client(200).posterPath(8));
    assert.ok(err instanceof TmdbError);
    assert.match(err.message, /did not answer within 200 ms \(movie 8\)/);
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
  });

  test('nothing listening: an error naming the cause, not the URL', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const closed = createTmdbClient({ apiUrl: `http://127.0.0.1:${port}/3`, apiKey: KEY, timeoutMs: 2000 });
    const err = await failure(closed.posterPath(9));
    assert.match(err.message, /could not be reached/);
    assert.ok(!err.message.includes('127.0.0.1'));
  });

  test('refuses an id that is not a TMDB id without asking', async () => {
    const before = tmdb.requests.length;
    await failure(client().posterPath(0));
    await failure(client().posterPath(1.5));
    assert.equal(tmdb.requests.length, before);
  });
});

describe('Retry-After', () => {
  test('seconds or an HTTP date, kept between 1 s and 10 min; 10 s when missing or garbage', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    assert.equal(retryAfterMs('3', now), 3000);
    assert.equal(retryAfterMs('0', now), 1000);
    assert.equal(retryAfterMs('86400', now), 600_000);
    assert.equal(retryAfterMs('Wed, 01 Jan 2025 00:00:30 GMT', now), 30_000);
    assert.equal(retryAfterMs(null, now), 10_000);
    assert.equal(retryAfterMs('soon', now), 10_000);
  });
});
