import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { makeRecommenderApp, type RecommenderApp } from './recommender-support.js';

interface Item {
  movie: { id: number; title: string; genres: string[] };
  score: number;
  ratings: number;
}

/** The cards of one <ol class="movie-grid" aria-label="…"> on a page: how many there are. */
function cardsIn(html: string, label: string): number {
  const list = new RegExp(`<ol class="movie-grid" aria-label="${label}">([\\s\\S]*?)</ol>`).exec(html);
  return list ? (list[1].match(/<article class="movie-card">/g) ?? []).length : 0;
}

describe('best movies', () => {
  let t: RecommenderApp;
  before(async () => {
    t = await makeRecommenderApp();
  });
  after(() => t.close());

  test('API: 48 best overall, 15 worst, and the genres; no session needed', async () => {
    const res = await request(t.app).get('/api/v1/best-movies').expect(200);
    const items = res.body.items as Item[];
    assert.equal(items.length, 48);
    assert.equal(res.body.worst.length, 15);
    assert.equal(res.body.genre, null);
    for (let i = 1; i < items.length; i++) assert.ok(items[i - 1].score >= items[i].score, 'best first');
    assert.ok(items.every((i) => i.ratings >= 20 && typeof i.movie.title === 'string'));
    assert.ok(res.body.genres.includes('Comedy') && res.body.genres.includes('Drama'));
    assert.ok(!res.body.genres.includes('(no genres listed)'));
    const best = new Set(items.map((i) => i.movie.id));
    assert.ok((res.body.worst as Item[]).every((i) => !best.has(i.movie.id)));
  });

  test('API: a genre filter keeps only that genre (any case); an unknown genre is a 400 listing the valid ones', async () => {
    const res = await request(t.app).get('/api/v1/best-movies').query({ genre: 'comedy' }).expect(200);
    assert.equal(res.body.genre, 'Comedy');
    assert.equal(res.body.items.length, 48);
    assert.ok((res.body.items as Item[]).every((i) => i.movie.genres.includes('Comedy')));
    assert.ok((res.body.worst as Item[]).every((i) => i.movie.genres.includes('Comedy')));

    const bad = await request(t.app).get('/api/v1/best-movies').query({ genre: 'Nope' }).expect(400);
    assert.equal(bad.body.error.issues[0].field, 'genre');
    assert.match(bad.body.error.issues[0].message, /Unknown genre "Nope"\. Choose one of: Action, Adventure, .*Western\./);
    await request(t.app).get('/api/v1/best-movies?genre=Drama&genre=Comedy').expect(400);
  });

  test('page: 48 cards, the 15 to skip, a genre filter that works as a plain GET form', async () => {
    const page = await request(t.app).get('/best-movies').expect(200).expect('Content-Type', /html/);
    assert.equal(cardsIn(page.text, 'Best movies'), 48);
    assert.equal(cardsIn(page.text, 'Movies to skip'), 15);
    assert.match(page.text, /And the ones to skip/);
    assert.match(page.text, /<form method="get" action="\/best-movies"/);
    assert.match(page.text, /<option value="Horror">Horror<\/option>/);
    // Every card is a link to its movie's page.
    assert.equal(page.text.match(/<a class="card-link" href="\/movies\/\d+">/g)?.length, 48 + 15);

    const horror = await request(t.app).get('/best-movies').query({ genre: 'Horror' }).expect(200);
    assert.match(horror.text, /<h1>The best Horror movies<\/h1>/);
    assert.match(horror.text, /<option value="Horror" selected>/);
    const api = (await request(t.app).get('/api/v1/best-movies').query({ genre: 'Horror' })).body;
    assert.equal(cardsIn(horror.text, 'Best movies'), api.items.length);

    const bad = await request(t.app).get('/best-movies').query({ genre: '<script>x</script>' }).expect(400);
    assert.match(bad.text, /<p class="field-error" id="genre-error">Unknown genre &#34;&lt;script&gt;x&lt;\/script&gt;&#34;/);
    assert.doesNotMatch(bad.text, /<script>x<\/script>/);
    assert.equal(cardsIn(bad.text, 'Best movies'), 48, 'the overall list still shows');
  });
});
