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

/** The movie ids of a group's posters in the grid, in order, each with whether it is marked picked. */
function groupTiles(html: string, slug: string): { id: number; picked: boolean }[] {
  const group = new RegExp(`<section class="pick-group" id="group-${slug}"[\\s\\S]*?</section>`).exec(html);
  assert.ok(group, `the group ${slug} is on the page`);
  return [...group[0].matchAll(/<li class="pick-tile( is-picked)?" data-movie-id="(\d+)">[\s\S]*?aria-pressed="(true|false)"/g)].map((m) => {
    assert.equal(m[1] !== undefined, m[3] === 'true', 'the mark and aria-pressed agree');
    return { id: Number(m[2]), picked: m[3] === 'true' };
  });
}

/** The `returnTo` of a grid poster's form. */
function tileReturnTo(html: string, movieId: number): string {
  const match = new RegExp(`name="movieId" value="${movieId}">\\s*<input type="hidden" name="returnTo" value="([^"]+)">`).exec(html);
  assert.ok(match, `poster ${movieId} has a form`);
  return match[1].replace(/&amp;/g, '&');
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
    assert.match(page.text, /<strong id="pick-count">5<\/strong> of at least 5/);
    assert.match(page.text, /<button type="submit" id="picks-save" aria-describedby="save-reason">Save picks<\/button>/);

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

  test('the poster grid: groups of popular movies, no movie twice, "More" by a link; one post picks, a second unpicks', async () => {
    const { agent } = await signedUp(t.app, { username: 'erin', email: 'erin@example.com', password: 'erin password long' });
    const page = await agent.get('/picks').expect(200);
    const slugs = [...page.text.matchAll(/<section class="pick-group" id="group-([\w-]+)"/g)].map((m) => m[1]);
    assert.deepEqual(slugs.slice(0, 4), ['popular', 'comedy', 'drama', 'action']);
    assert.ok(slugs.length >= 10);
    const all = slugs.flatMap((slug) => groupTiles(page.text, slug).map((tile) => tile.id));
    assert.equal(new Set(all).size, all.length, 'no movie twice');
    const popular = groupTiles(page.text, 'popular');
    assert.equal(popular.length, 12);
    assert.deepEqual(popular.slice(0, 3).map((tile) => tile.id), [356, 318, 296], 'the most rated first: Forrest Gump, Shawshank, Pulp Fiction');
    assert.ok(popular.every((tile) => !tile.picked));
    assert.ok(popular.some((tile) => tile.id === 1), 'Toy Story (215 ratings) is popular');
    // A genre row holds movies of that genre, most rated first.
    const animation = groupTiles(page.text, 'animation').map((tile) => t.services.movies.card(tile.id)!);
    assert.equal(animation.length, 12);
    assert.ok(animation.every((movie) => movie.genres.includes('Animation')));
    assert.match(page.text, /<a class="pick-title" href="\/movies\/1">Toy Story<\/a>\s*<span class="pick-year">1995<\/span>/);

    // "More comedy" without JavaScript: a link to the same page with that group opened one page further.
    assert.match(page.text, /<a href="\/picks\?group=comedy&amp;page=2#group-comedy"/);
    const more = await agent.get('/picks').query({ group: 'comedy', page: '2' }).expect(200);
    const comedies = groupTiles(more.text, 'comedy');
    assert.equal(comedies.length, 24);
    assert.deepEqual(comedies.slice(0, 12), groupTiles(page.text, 'comedy'));
    assert.equal(groupTiles(more.text, 'drama').length, 12, 'other groups stay at their first page');
    assert.equal(tileReturnTo(more.text, comedies[20].id), '/picks?group=comedy&page=2#group-comedy', 'a pick comes back to the same place');
    // The page the script appends: only page 2's posters, and whether a page 3 exists.
    const fragment = await agent.get('/picks/groups/comedy').query({ page: '2' }).expect(200);
    assert.doesNotMatch(fragment.text, /<html/);
    assert.equal((fragment.text.match(/class="pick-tile/g) ?? []).length, 12);
    assert.equal(fragment.headers['x-next-page'], '3');
    await agent.get('/picks/groups/nonsense').query({ page: '1' }).expect(404);
    await agent.get('/picks/groups/comedy').query({ page: '999' }).expect(404);

    // One tap picks (back to the grid where it was), a second unpicks.
    const token = formToken(page.text);
    const returnTo = tileReturnTo(page.text, 356);
    assert.equal(returnTo, '/picks#group-popular');
    await agent.post('/picks/add').type('form').send({ _csrf: token, movieId: '356', returnTo }).expect(303).expect('Location', returnTo);
    let after = await agent.get('/picks').expect(200);
    assert.deepEqual(groupTiles(after.text, 'popular')[0], { id: 356, picked: true });
    assert.match(after.text, /action="\/picks\/remove" class="pick-toggle">\s*<input type="hidden" name="_csrf" value="[^"]+">\s*<input type="hidden" name="movieId" value="356">/);
    assert.deepEqual(selection(after.text), [356]);
    await agent.post('/picks/remove').type('form').send({ _csrf: token, movieId: '356', returnTo }).expect(303).expect('Location', returnTo);
    after = await agent.get('/picks').expect(200);
    assert.deepEqual(groupTiles(after.text, 'popular')[0], { id: 356, picked: false });
    assert.deepEqual(selection(after.text), []);
  });

  test('draft picks survive visiting other pages; "3 of at least 5" and Save disabled with the reason until 5', async () => {
    const { agent, id } = await signedUp(t.app, { username: 'fay', email: 'fay@example.com', password: 'fay password long' });
    const page = await agent.get('/picks').expect(200);
    const token = formToken(page.text);
    const grid = groupTiles(page.text, 'popular').map((tile) => tile.id);
    for (const movieId of grid.slice(0, 3)) {
      await agent.post('/picks/add').type('form').send({ _csrf: token, movieId: String(movieId), returnTo: '/picks#group-popular' }).expect(303);
    }
    await agent.get('/best-movies').expect(200);
    await agent.get('/movies/1').expect(200);
    let back = await agent.get('/picks').expect(200);
    assert.deepEqual(selection(back.text), grid.slice(0, 3));
    assert.match(back.text, /<strong id="pick-count">3<\/strong> of at least 5/);
    assert.match(back.text, /<button type="submit" id="picks-save" disabled aria-describedby="save-reason">Save picks<\/button>/);
    assert.match(back.text, /<p class="save-reason" id="save-reason">Pick 2 more to save \(at least 5\)\.<\/p>/);
    assert.equal((await t.store.getUserStatus(id))?.state, 'none', 'a draft is not saved');
    // Already picked: a second add changes nothing.
    await agent.post('/picks/add').type('form').send({ _csrf: token, movieId: String(grid[0]) }).expect(303);
    for (const movieId of grid.slice(3, 5)) {
      await agent.post('/picks/add').type('form').send({ _csrf: token, movieId: String(movieId) }).expect(303);
    }
    back = await agent.get('/picks').expect(200);
    assert.match(back.text, /<strong id="pick-count">5<\/strong> of at least 5/);
    assert.match(back.text, /<button type="submit" id="picks-save" aria-describedby="save-reason">Save picks<\/button>/);
    await agent.post('/picks').type('form').send({ _csrf: token, movieIds: selection(back.text).map(String) }).expect(303).expect('Location', '/recommendations/quick');
    assert.deepEqual((await t.store.getUserStatus(id))?.movieIds, grid.slice(0, 5));
  });

  test('the script\'s requests: Add and Remove answer the draft as JSON', async () => {
    const { agent } = await signedUp(t.app, { username: 'gus', email: 'gus@example.com', password: 'gus password long' });
    const token = formToken((await agent.get('/picks').expect(200)).text);
    const added = await agent.post('/picks/add').set('Accept', 'application/json').type('form').send({ _csrf: token, movieId: '1' }).expect(200);
    assert.deepEqual(added.body, { movieIds: [1], min: 5, max: 50 });
    const unknown = await agent.post('/picks/add').set('Accept', 'application/json').type('form').send({ _csrf: token, movieId: '999999' }).expect(200);
    assert.deepEqual(unknown.body, { movieIds: [1], min: 5, max: 50, notice: 'That movie is not in the catalog.' });
    const removed = await agent.post('/picks/remove').set('Accept', 'application/json').type('form').send({ _csrf: token, movieId: '1' }).expect(200);
    assert.deepEqual(removed.body.movieIds, []);
  });

  test('the picker needs a session: visitors go to the log-in page', async () => {
    await request(t.app).get('/picks').expect(303).expect('Location', '/login?next=%2Fpicks');
  });
});
