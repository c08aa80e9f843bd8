import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { makeRecommenderApp, type RecommenderApp } from './recommender-support.js';

describe('movies API', () => {
  let t: RecommenderApp;
  before(async () => {
    t = await makeRecommenderApp();
  });
  after(() => t.close());

  test('search: "toy story" finds Toy Story first, as cards with links; no session needed', async () => {
    const res = await request(t.app).get('/api/v1/movies').query({ q: 'toy story' }).expect(200).expect('Content-Type', /json/);
    const items = res.body.items as Record<string, unknown>[];
    assert.ok(items.length >= 3 && items.length <= 10);
    assert.deepEqual(items[0], {
      id: 1,
      title: 'Toy Story',
      subtitle: null,
      year: 1995,
      genres: ['Adventure', 'Animation', 'Children', 'Comedy', 'Fantasy'],
      imdbUrl: 'https://www.imdb.com/title/tt0114709/',
      tmdbUrl: 'https://www.themoviedb.org/movie/862',
    });
    assert.ok(items.every((m) => /toy story/i.test(String(m.title))));
  });

  test('search: limit bounds, default 10, empty q finds nothing', async () => {
    const one = await request(t.app).get('/api/v1/movies').query({ q: 'the', limit: '1' }).expect(200);
    assert.equal(one.body.items.length, 1);
    const fifty = await request(t.app).get('/api/v1/movies').query({ q: 'the', limit: '50' }).expect(200);
    assert.equal(fifty.body.items.length, 50);
    const byDefault = await request(t.app).get('/api/v1/movies').query({ q: 'the' }).expect(200);
    assert.equal(byDefault.body.items.length, 10);
    assert.deepEqual((await request(t.app).get('/api/v1/movies').query({ q: '' }).expect(200)).body, { items: [] });
    assert.deepEqual((await request(t.app).get('/api/v1/movies').expect(200)).body, { items: [] });
    assert.deepEqual((await request(t.app).get('/api/v1/movies').query({ q: '   ' }).expect(200)).body, { items: [] });
  });

  test('search: a bad limit or a repeated q is a 400 naming the field', async () => {
    for (const limit of ['0', '51', 'abc', '1.5', '-3']) {
      const res = await request(t.app).get('/api/v1/movies').query({ q: 'toy', limit }).expect(400);
      assert.equal(res.body.error.code, 'invalid_input');
      assert.equal(res.body.error.issues[0].field, 'limit', `limit=${limit}`);
    }
    const repeated = await request(t.app).get('/api/v1/movies?q=toy&q=story').expect(400);
    assert.equal(repeated.body.error.issues[0].field, 'q');
    const long = await request(t.app).get('/api/v1/movies').query({ q: 'x'.repeat(201) }).expect(400);
    assert.equal(long.body.error.issues[0].field, 'q');
  });

  test('one movie by id; unknown → 404; malformed id → 400', async () => {
    const heat = await request(t.app).get('/api/v1/movies/6').expect(200);
    assert.equal(heat.body.title, 'Heat');
    assert.equal(heat.body.year, 1995);
    const missing = await request(t.app).get('/api/v1/movies/999999999').expect(404);
    assert.equal(missing.body.error.code, 'not_found');
    for (const id of ['0', '-1', 'abc', '1.5', '01', '1e3', '99999999999999999999']) {
      const bad = await request(t.app).get(`/api/v1/movies/${id}`).expect(400);
      assert.equal(bad.body.error.issues[0].field, 'id', `id ${id}`);
    }
  });
});
