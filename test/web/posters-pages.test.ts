import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import type { Posters } from '../../src/posters/posters.js';
import { startFakeTmdb, type FakeTmdb } from '../posters/fake-tmdb.js';
import { makeRecommenderApp, type RecommenderApp } from './recommender-support.js';

const KEY = 'page-test-tmdb-key-55555';

const posterSrcs = (html: string) => [...html.matchAll(/<img class="poster" src="([^"]+)" alt="" width="200" height="300"/g)].map((m) => m[1]);

describe('posters on the pages', () => {
  describe('without a TMDB key', () => {
    let t: RecommenderApp;
    before(async () => {
      t = await makeRecommenderApp({ captureLogs: true });
    });
    after(() => t.close());

    test('every card shows its generated poster', async () => {
      const page = await request(t.app).get('/best-movies').expect(200);
      const srcs = posterSrcs(page.text);
      assert.equal(srcs.length, 48 + 15);
      assert.ok(srcs.every((src) => /^\/posters\/\d+\.svg$/.test(src)), srcs[0]);
      const csp = page.headers['content-security-policy'];
      assert.match(csp, /img-src 'self' data:;/);
    });

    test('GET /posters/<id>.svg: the SVG, cached for a week, no session; unknown or malformed ids are 404', async () => {
      const res = await request(t.app).get('/posters/1.svg').expect(200).expect('Content-Type', 'image/svg+xml; charset=utf-8');
      assert.equal(res.headers['cache-control'], 'public, max-age=604800');
      assert.ok(res.headers.etag);
      assert.equal(res.headers['set-cookie'], undefined);
      const svg = res.text || String(res.body);
      assert.match(svg, /<title>Toy Story \(1995\)<\/title>/);
      await request(t.app).get('/posters/1.svg').set('If-None-Match', res.headers.etag).expect(304);
      for (const path of ['/posters/999999999.svg', '/posters/abc.svg', '/posters/01.svg', '/posters/1.png']) await request(t.app).get(path).expect(404);
      // Dozens per page: no request log line for them, unlike pages.
      const urls = t.logs.map((line) => (line.req as { url?: string } | undefined)?.url).filter(Boolean);
      assert.ok(urls.includes('/best-movies'));
      assert.ok(!urls.some((url) => url!.startsWith('/posters/')), urls.join(' '));
    });
  });

  describe('with a TMDB key (a local stand-in for its API)', () => {
    let tmdb: FakeTmdb;
    let t: RecommenderApp;
    let posters: Posters;
    before(async () => {
      tmdb = await startFakeTmdb(KEY);
      const env = { TMDB_API_KEY: KEY, TMDB_API_URL: tmdb.apiUrl, TMDB_IMAGE_URL: 'https://images.example.org/t/p/w342' };
      t = await makeRecommenderApp({ env });
      // The app's own posters service: the test waits for its background look-ups.
      posters = t.services.posters;
    });
    after(async () => {
      await posters.stop();
      await t.close();
      await tmdb.close();
    });

    test('first view: generated posters (TMDB is asked in the background); later views: TMDB images', async () => {
      const first = await request(t.app).get('/best-movies?genre=Film-Noir').expect(200);
      const srcs = posterSrcs(first.text);
      assert.ok(srcs.length > 0 && srcs.every((src) => src.startsWith('/posters/')));
      await posters.idle();
      assert.ok(tmdb.requests.length >= srcs.length);
      const later = await request(t.app).get('/best-movies?genre=Film-Noir').expect(200);
      const tmdbSrcs = posterSrcs(later.text);
      assert.ok(tmdbSrcs.every((src) => /^https:\/\/images\.example\.org\/t\/p\/w342\/p\d+\.jpg$/.test(src)), tmdbSrcs[0]);
      assert.ok(!later.text.includes(KEY) && !first.text.includes(KEY), 'the key is never in a page');
      assert.match(later.headers['content-security-policy'], /img-src 'self' data: https:\/\/images\.example\.org;/);
    });
  });
});
