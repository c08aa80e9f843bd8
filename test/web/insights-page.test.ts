import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { createInsights } from '../../src/insights/insights.js';
import { TINY_MOVIES, tinyRatings } from '../insights/tiny-dataset.js';
import { makeApp, type TestApp } from './support.js';

describe('insights page', () => {
  let t: TestApp;
  before(async () => {
    t = await makeApp({ services: { insights: createInsights({ ratings: tinyRatings(), movies: TINY_MOVIES }, { minDecadeRatings: 1 }) } });
  });
  after(() => t.close());

  test('renders all five charts, each a figure with a heading, an SVG image with title and desc, a caption, a table', async () => {
    const res = await request(t.app).get('/insights').expect(200).expect('Content-Type', /html/);
    assert.equal(res.headers['set-cookie'], undefined, 'a public page makes no session');
    assert.match(res.text, /<h1>Insights<\/h1>/);
    assert.match(res.text, /What 3 people said in 7 ratings of\s+4 movies/);
    const figures = res.text.match(/<figure class="chart-figure"[\s\S]*?<\/figure>/g) ?? [];
    assert.equal(figures.length, 5);
    const headings = figures.map((f) => /<h2 id="[^"]+-heading" class="chart-heading">([^<]+)<\/h2>/.exec(f)?.[1]);
    assert.deepEqual(headings, ['How people rate', 'Popular movies and their ratings', 'Ratings per genre', 'Genres over the decades', 'The most-rated movies']);
    for (const figure of figures) {
      assert.match(figure, /<svg class="chart" viewBox="0 0 360 [\d.]+"[^>]* role="img"\s+aria-labelledby="chart-[a-z-]+-title" aria-describedby="chart-[a-z-]+-desc"/);
      assert.match(figure, /<title id="chart-[a-z-]+-title">[^<]+<\/title><desc id="chart-[a-z-]+-desc">[^<]+<\/desc>/);
      assert.match(figure, /<figcaption>[^<]+<\/figcaption>/);
      assert.match(figure, /<details class="chart-data">\s*<summary>The numbers/);
      assert.match(figure, /<th scope="col">/);
    }
    assert.match(res.text, /release year, not when they were rated/);
  });

  test('the header links to it for everyone, marked as the current page there', async () => {
    const home = await request(t.app).get('/').expect(200);
    assert.match(home.text, /<a href="\/insights">Insights<\/a>/);
    const page = await request(t.app).get('/insights').expect(200);
    assert.match(page.text, /<a href="\/insights" aria-current="page">Insights<\/a>/);
    assert.ok(!page.text.includes('href="/operations"'), 'no operations link for a visitor');
  });
});
