import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { formToken, signedUp } from './support.js';
import { FIVE_PICKS, makeRecommenderApp, putPicks, type RecommenderApp } from './recommender-support.js';

/** The ids of the movie cards under "More like this". */
function moreLikeThis(html: string): number[] {
  const section = /<section class="more-like-this"[\s\S]*?<\/section>/.exec(html);
  assert.ok(section, 'the "more like this" section is on the page');
  return [...section[0].matchAll(/\/posters\/(\d+)/g)].map((m) => Number(m[1]));
}

describe('a movie page and the movie API', () => {
  let t: RecommenderApp;
  before(async () => {
    t = await makeRecommenderApp();
  });
  after(() => t.close());

  test('API: Toy Story with its MovieLens tags, average rating, count and 12 "more like this" because of it', async () => {
    const res = await request(t.app).get('/api/v1/movies/1').expect(200);
    assert.equal(res.body.title, 'Toy Story');
    assert.equal(res.body.year, 1995);
    // tags.csv of ml-latest-small: "pixar" given three times (twice as "pixar", once as "Pixar"), first.
    assert.equal(res.body.tags[0], 'pixar');
    assert.ok(res.body.tags.includes('fun'));
    assert.equal(new Set(res.body.tags.map((tag: string) => tag.toLowerCase())).size, res.body.tags.length, 'no tag twice, whatever its case');
    assert.equal(res.body.ratingCount, 215);
    assert.ok(Math.abs(res.body.averageRating - 3.92093) < 1e-4, `average ${res.body.averageRating}`);
    assert.equal(res.body.moreLikeThis.length, 12);
    const ids = res.body.moreLikeThis.map((s: { movie: { id: number } }) => s.movie.id);
    assert.equal(new Set(ids).size, 12);
    assert.ok(!ids.includes(1), 'never the movie itself');
    for (const similar of res.body.moreLikeThis) assert.equal(similar.because.id, 1);
    assert.equal(res.body.discoveryStep, 'balanced');
    assert.equal(res.body.recommendedBecause, null);
  });

  test('API: without a model, the movie and its tags but no "more like this"', async () => {
    const quiet = await makeRecommenderApp({ model: false });
    try {
      const res = await request(quiet.app).get('/api/v1/movies/1').expect(200);
      assert.deepEqual(res.body.moreLikeThis, []);
      assert.equal(res.body.tags[0], 'pixar');
    } finally {
      await quiet.close();
    }
  });

  test('page: poster, title, year, genres, tags, ratings, links and 12 similar movies; public', async () => {
    const res = await request(t.app).get('/movies/1').expect(200).expect('Content-Type', /html/);
    assert.match(res.text, /<h1>Toy Story <span class="year">1995<\/span><\/h1>/);
    assert.match(res.text, /Adventure · Animation · Children · Comedy · Fantasy/);
    assert.match(res.text, /<strong>3\.9<\/strong> out of 5/);
    assert.match(res.text, /215 ratings on MovieLens/);
    assert.match(res.text, /<li>pixar<\/li>/);
    assert.match(res.text, /href="https:\/\/www\.imdb\.com\/title\/tt0114709\/"/);
    assert.match(res.text, /href="https:\/\/www\.themoviedb\.org\/movie\/862"/);
    assert.match(res.text, /class="movie-hero-poster" src="\/posters\/1/);
    assert.match(res.text, /<a class="button" href="\/login\?next=%2Fmovies%2F1">Log in to pick it<\/a>/);
    const similar = moreLikeThis(res.text);
    assert.equal(similar.length, 12);
    assert.ok(!similar.includes(1));
  });

  test('page: unknown id → 404 page; malformed id → 400 page', async () => {
    const missing = await request(t.app).get('/movies/999999999').expect(404);
    assert.match(missing.text, /Page not found/);
    for (const id of ['0', 'abc', '1.5', '01']) {
      const bad = await request(t.app).get(`/movies/${id}`).expect(400);
      assert.match(bad.text, /Error 400/, `id ${id}`);
    }
  });

  test('page: pick and unpick into the draft, back on the page; a recommended movie says why', async () => {
    const { agent } = await signedUp(t.app);
    const page = await agent.get('/movies/1').expect(200);
    assert.match(page.text, /Your picks: 0 of at least 5/);
    await agent.post('/picks/add').type('form').send({ _csrf: formToken(page.text), movieId: '1', returnTo: '/movies/1' }).expect(303).expect('Location', '/movies/1');
    const picked = await agent.get('/movies/1').expect(200);
    assert.match(picked.text, /✓ In your picks\./);
    assert.match(picked.text, /Your picks: 1 of at least 5<\/a> \(not saved yet\)/);
    assert.match(picked.text, /Remove from my picks/);
    // A return address off the site is ignored: back to the picker.
    await agent.post('/picks/remove').type('form').send({ _csrf: formToken(picked.text), movieId: '1', returnTo: 'https://evil.example/' }).expect(303).expect('Location', '/picks');
    assert.match((await agent.get('/movies/1').expect(200)).text, /Pick this movie/);

    const { agent: saver, token } = await signedUp(t.app, { username: 'carol', email: 'carol@example.com', password: 'a long enough password' });
    await putPicks(saver, token, FIVE_PICKS).expect(200);
    const quick = await saver.get('/api/v1/me/recommendations/quick').expect(200);
    const first = quick.body.items[0];
    const recommended = await saver.get(`/movies/${first.movie.id}`).expect(200);
    assert.match(recommended.text, new RegExp(`Recommended for you because you picked <a href="/movies/${first.because.id}">`));
    const api = await saver.get(`/api/v1/movies/${first.movie.id}`).expect(200);
    assert.equal(api.body.recommendedBecause.id, first.because.id);
    const notRecommended = await saver.get('/movies/1').expect(200);
    assert.doesNotMatch(notRecommended.text, /Recommended for you because/);
  });
});
