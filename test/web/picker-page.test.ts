import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { formToken, signedUp } from './support.js';
import { makeRecommenderApp, type RecommenderApp } from './recommender-support.js';

/** The hidden movieIds inputs of the "Save picks" form: the selection that saving would post. */
function selection(html: string): number[] {
  const form = /<form method="post" action="\/picks" id="picks-form"[\s\S]*?<\/form>/.exec(html);
  assert.ok(form, 'the save form is on the page');
  return [...form[0].matchAll(/<input type="hidden" name="movieIds" value="(\d+)">/g)].map((m) => Number(m[1]));
}

/** The movie id of each Add button in the search results, in order. */
function addable(html: string): number[] {
  return [...html.matchAll(/action="\/picks\/add"[\s\S]*?name="movieId" value="(\d+)"/g)].map((m) => Number(m[1]));
}

describe('the movie picker without JavaScript', () => {
  let t: RecommenderApp;
  before(async () => {
    t = await makeRecommenderApp();
  });
  after(() => t.close());

  test('search → add → remove → save, through forms only; then the quick 12', async () => {
    const { agent, id } = await signedUp(t.app);
    const empty = await agent.get('/picks').expect(200);
    assert.match(empty.text, /Nothing picked yet\./);
    assert.match(empty.text, /<form method="get" action="\/picks" role="search"/);
    assert.match(empty.text, /<script src="\/static\/picker.js" defer><\/script>/);
    assert.deepEqual(selection(empty.text), []);

    const add = async (query: string, nth = 0) => {
      const page = await agent.get('/picks').query({ q: query }).expect(200);
      const movieId = addable(page.text)[nth];
      assert.ok(movieId, `a match for ${query}`);
      await agent
        .post('/picks/add')
        .type('form')
        .send({ _csrf: formToken(page.text), movieId: String(movieId), q: query })
        .expect(303)
        .expect('Location', `/picks?q=${encodeURIComponent(query)}`);
      return movieId;
    };

    const toyStory = await add('toy story');
    assert.equal(toyStory, 1);
    const afterAdd = await agent.get('/picks').query({ q: 'toy story' }).expect(200);
    assert.match(afterAdd.text, /Matches for “toy story”/);
    assert.ok(!addable(afterAdd.text).includes(1), 'a picked movie has no Add button');
    assert.match(afterAdd.text, /<button type="submit" class="chip-remove" aria-label="Remove Toy Story \(1995\)">Remove<\/button>/);

    const picked = [toyStory, await add('jumanji'), await add('heat 1995'), await add('goldeneye'), await add('braveheart')];
    let page = await agent.get('/picks').expect(200);
    assert.deepEqual(selection(page.text), picked);
    assert.match(page.text, /Your picks \(<span id="pick-count">5<\/span>\)/);

    // Remove one: 4 left, and saving is refused with the message next to the field.
    await agent.post('/picks/remove').type('form').send({ _csrf: formToken(page.text), movieId: '2', q: '' }).expect(303).expect('Location', '/picks');
    page = await agent.get('/picks').expect(200);
    const four = picked.filter((m) => m !== 2);
    assert.deepEqual(selection(page.text), four);
    const refused = await agent.post('/picks').type('form').send({ _csrf: formToken(page.text), movieIds: four.map(String) }).expect(400);
    assert.match(refused.text, /<p class="field-error" id="movieIds-error" role="alert">Pick at least 5 movies \(you have 4\)\.<\/p>/);
    assert.deepEqual(selection(refused.text), four, 'the selection is kept');
    assert.equal((await t.store.getUserStatus(id))?.state, 'none', 'nothing saved');
    assert.equal(t.picksChanged(), 0);

    const fifth = await add('star wars');
    page = await agent.get('/picks').expect(200);
    const five = [...four, fifth];
    assert.deepEqual(selection(page.text), five);
    await agent
      .post('/picks')
      .type('form')
      .send({ _csrf: formToken(page.text), movieIds: five.map(String) })
      .expect(303)
      .expect('Location', '/recommendations/quick');
    const status = await t.store.getUserStatus(id);
    assert.deepEqual(status?.movieIds, five);
    assert.equal(status?.state, 'pending');
    assert.equal(t.picksChanged(), 1);

    const quick = await agent.get('/recommendations/quick').expect(200);
    assert.match(quick.text, /Your picks are saved/);
    assert.equal((quick.text.match(/<article class="movie-card">/g) ?? []).length, 12);

    // Back on the picker: the saved picks are the selection.
    assert.deepEqual(selection((await agent.get('/picks').expect(200)).text), five);
  });

  test('bad posts: unknown ids and text are named next to the field; an unknown Add is a notice', async () => {
    const { agent, id } = await signedUp(t.app, { username: 'dave', email: 'dave@example.com', password: 'dave password' });
    const page = await agent.get('/picks').expect(200);
    const token = formToken(page.text);
    const res = await agent.post('/picks').type('form').send({ _csrf: token, movieIds: ['1', '2', '6', '10', '999999', 'abc'] }).expect(400);
    assert.match(res.text, /Unknown movie ids: 999999\./);
    assert.match(res.text, /These are not movie ids \(positive whole numbers\): &#34;abc&#34;\./);
    assert.deepEqual(selection(res.text), [1, 2, 6, 10]);
    assert.equal((await t.store.getUserStatus(id))?.state, 'none');

    await agent.post('/picks/add').type('form').send({ _csrf: token, movieId: '999999', q: '' }).expect(303);
    assert.match((await agent.get('/picks').expect(200)).text, /That movie is not in the catalog\./);
    await agent.post('/picks').type('form').send({ movieIds: ['1'] }).expect(403);
  });

  test('the picker needs a session: visitors go to the log-in page', async () => {
    await request(t.app).get('/picks').expect(303).expect('Location', '/login?next=%2Fpicks');
  });
});
