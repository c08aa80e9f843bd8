import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { Catalog } from '../../src/catalog/catalog.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { createPosters, generatedPosterUrl, mostPopularWithTmdb, NO_POSTER_RECHECK_MS, tmdbImageOrigin, type Posters } from '../../src/posters/posters.js';
import { createTmdbClient } from '../../src/posters/tmdb-client.js';
import { openSqliteStore, type Store } from '../../src/store/index.js';
import { TINY_MOVIES } from '../insights/tiny-dataset.js';
import { startFakeTmdb, type FakeTmdb } from './fake-tmdb.js';

const KEY = 'another-secret-key-9876543210';
const IMAGES = 'https://image.tmdb.example/t/p/w342';
const catalog = new Catalog(TINY_MOVIES, new Map([[1, 3], [2, 2], [3, 1], [4, 1]])); // tmdbId = id × 10

/** A logger whose JSON lines the test can read. */
function capturedLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger({ NODE_ENV: 'test', LOG_LEVEL: 'debug' }, sink), lines };
}

describe('posters', () => {
  let tmdb: FakeTmdb;
  let store: Store;
  let log: ReturnType<typeof capturedLogger>;
  const made: Posters[] = [];
  const config = () => loadConfig({ NODE_ENV: 'test', TMDB_API_KEY: KEY, TMDB_API_URL: tmdb.apiUrl, TMDB_IMAGE_URL: `${IMAGES}/` });
  const posters = (options: Partial<Parameters<typeof createPosters>[0]> = {}) => {
    const p = createPosters({ config: config(), store, catalog, logger: log.logger, ...options });
    made.push(p);
    return p;
  };

  before(async () => {
    tmdb = await startFakeTmdb(KEY);
  });
  after(() => tmdb.close());
  beforeEach(async () => {
    for (const p of made.splice(0)) await p.stop();
    await store?.close();
    store = await openSqliteStore(':memory:');
    log = capturedLogger();
    await tmdb.reset();
  });

  test('without a TMDB key: generated posters only, nothing asked, no image host for the CSP', async () => {
    const plain = createPosters({ config: loadConfig({ NODE_ENV: 'test', TMDB_API_URL: tmdb.apiUrl }), store, catalog, logger: log.logger });
    assert.equal(plain.usesTmdb, false);
    const url = await plain.urlsFor([1, 2]);
    assert.equal(url(1), '/posters/1.svg');
    await plain.warm([1, 2, 3]);
    assert.deepEqual(tmdb.requests, []);
    assert.equal(tmdbImageOrigin(loadConfig({ NODE_ENV: 'test' })), null);
    assert.equal(tmdbImageOrigin(config()), 'https://image.tmdb.example');
  });

  test('first view: generated posters while looked up in the background; then TMDB images, "none" remembered', async () => {
    tmdb.script(20, { kind: 'status', status: 404 });
    tmdb.script(30, { kind: 'poster', path: null });
    const p = posters();
    const first = await p.urlsFor([1, 2, 3, 4]);
    assert.deepEqual([1, 2, 3, 4].map(first), [1, 2, 3, 4].map(generatedPosterUrl), 'the page never waits for TMDB');
    await p.idle();
    assert.deepEqual(tmdb.requests.map((r) => r.split('?')[0]).sort(), ['/3/movie/10', '/3/movie/20', '/3/movie/30', '/3/movie/40']);
    const stored = await store.getPosters([1, 2, 3, 4]);
    assert.equal(stored.get(1)?.path, '/p10.jpg');
    assert.equal(stored.get(2)?.path, null);
    assert.equal(stored.get(3)?.path, null);

    const second = await p.urlsFor([1, 2, 3, 4, 1]);
    assert.equal(second(1), `${IMAGES}/p10.jpg`);
    assert.equal(second(4), `${IMAGES}/p40.jpg`);
    assert.equal(second(2), '/posters/2.svg');
    await p.idle();
    assert.equal(tmdb.requests.length, 4, 'nothing asked again');

    // A new process: the cache is in the store, not only in memory.
    const restarted = posters();
    assert.equal((await restarted.urlsFor([1]))(1), `${IMAGES}/p10.jpg`);
    await restarted.idle();
    assert.equal(tmdb.requests.length, 4);
  });

  test('"no poster" is asked again once it is old', async () => {
    let now = 1_700_000_000_000;
    await store.savePoster({ movieId: 2, path: null, checkedAt: now - NO_POSTER_RECHECK_MS + 1000 });
    const p = posters({ now: () => now });
    await p.urlsFor([2]);
    await p.idle();
    assert.equal(tmdb.requests.length, 0);
    now += 2000;
    await p.urlsFor([2]);
    await p.idle();
    assert.equal(tmdb.requests.length, 1);
    assert.equal((await store.getPosters([2])).get(2)?.path, '/p20.jpg');
  });

  test('429: the queue pauses for Retry-After, then asks again and saves', async () => {
    tmdb.script(10, { kind: 'status', status: 429, headers: { 'retry-after': '1' } }, { kind: 'poster', path: '/later.jpg' });
    const p = posters();
    const started = Date.now();
    await p.urlsFor([1, 2]);
    await p.idle();
    const waited = Date.now() - started;
    assert.ok(waited >= 900 && waited < 5000, `waited ${waited} ms`);
    assert.equal((await store.getPosters([1])).get(1)?.path, '/later.jpg');
    assert.equal(tmdb.requests.filter((r) => r.startsWith('/3/movie/10?')).length, 2);
    assert.ok(log.lines.some((l) => l.includes('TMDB is rate limiting')));
  });

  test('a timeout saves nothing and the movie is not asked again for a while', async () => {
    tmdb.script(30, { kind: 'hang' });
    const p = posters({ client: createTmdbClient({ apiUrl: tmdb.apiUrl, apiKey: KEY, timeoutMs: 200 }) });
    await p.urlsFor([3]);
    await p.idle();
    assert.equal((await store.getPosters([3])).size, 0);
    assert.ok(log.lines.some((l) => l.includes('poster look-up failed') && l.includes('did not answer within 200 ms')));
    await p.urlsFor([3]);
    await p.idle();
    assert.equal(tmdb.requests.length, 1, 'cooling down');
  });

  test('at most two look-ups at once, and the queue is bounded', async () => {
    tmdb.delayMs = 30;
    const many = new Catalog(Array.from({ length: 12 }, (_, i) => ({ id: i + 1, title: `M${i}`, year: 2000, genres: ['Drama'], imdbId: null, tmdbId: 100 + i })));
    const p = posters({ catalog: many, queue: { maxQueued: 8 } });
    await p.urlsFor(Array.from({ length: 12 }, (_, i) => i + 1));
    await p.idle();
    assert.equal(tmdb.maxConcurrent <= 2, true, `max ${tmdb.maxConcurrent}`);
    // Two started at once, eight waited: the rest were refused, to be asked for by a later page.
    assert.equal(tmdb.requests.length, 10);
    await p.urlsFor(Array.from({ length: 12 }, (_, i) => i + 1));
    await p.idle();
    assert.equal(tmdb.requests.length, 12);
  });

  test('a failing store: generated posters and no look-ups', async () => {
    const broken = { getPosters: async () => { throw new Error('store down'); }, savePoster: async () => {} };
    const p = posters({ store: broken });
    const url = await p.urlsFor([1, 2]);
    assert.equal(url(1), '/posters/1.svg');
    await p.idle();
    assert.equal(tmdb.requests.length, 0);
  });

  test('movies without a TMDB id are never asked about', async () => {
    const noLinks = new Catalog([{ id: 9, title: 'No link', year: null, genres: [], imdbId: null, tmdbId: null }]);
    const p = posters({ catalog: noLinks });
    assert.equal((await p.urlsFor([9]))(9), '/posters/9.svg');
    await p.idle();
    assert.equal(tmdb.requests.length, 0);
  });

  test('warming asks for the most popular movies; the key appears in no log line', async () => {
    tmdb.script(20, { kind: 'status', status: 500 });
    const p = posters();
    assert.deepEqual(mostPopularWithTmdb(catalog, 2), [1, 2]);
    await p.warm(mostPopularWithTmdb(catalog, 3));
    await p.idle();
    assert.equal(tmdb.requests.length, 3);
    assert.ok(log.lines.length > 0);
    assert.ok(log.lines.some((l) => l.includes('TMDB answered 500')));
    for (const line of log.lines) assert.ok(!line.includes(KEY), `the key is in a log line: ${line}`);
  });
});
