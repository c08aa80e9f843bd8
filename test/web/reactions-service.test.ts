import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NotFoundError, ValidationError } from '../../src/services/errors.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { candidatesToShow, type Reactions } from '../../src/services/reactions.js';
import { openSqliteStore, type Store } from '../../src/store/index.js';
import { testServices } from '../support/services.js';

describe('reactions service', () => {
  let store: Store;
  let reactions: Reactions;
  let userId: string;
  let changed = 0;
  let t = 1_700_000_000_000;
  before(async () => {
    store = await openSqliteStore(':memory:');
    const config = loadConfig({ NODE_ENV: 'test' });
    ({ reactions } = await testServices(config, store, createLogger(config), { onPicksChanged: () => changed++, now: () => ++t }));
    userId = (await store.createUser({ username: 'alice', email: 'a@example.com', passwordHash: 'h', now: t })).id;
  });
  after(() => store.close());

  test('reacts by id from a path, a form or JSON; lists newest first; the watchlist apart; remove undoes', async () => {
    const seen = await reactions.react(userId, '1', { kind: 'seen', rating: '5' });
    assert.deepEqual([seen.movie.id, seen.kind, seen.rating], [1, 'seen', 5]);
    await reactions.react(userId, 2, { kind: 'watchlist', rating: '' });
    await reactions.react(userId, '3', { kind: 'not_interested', rating: null });
    assert.deepEqual((await reactions.list(userId)).map((r) => [r.movie.id, r.kind]), [[3, 'not_interested'], [2, 'watchlist'], [1, 'seen']]);
    assert.deepEqual((await reactions.watchlist(userId)).map((r) => r.movie.id), [2]);
    assert.equal((await reactions.byMovie(userId)).get(1)?.rating, 5);
    assert.equal(changed, 3);
    assert.equal(await reactions.remove(userId, '3'), true);
    assert.equal(await reactions.remove(userId, '3'), false);
    assert.equal(changed, 4, 'nothing removed, nothing to tell');
  });

  test('candidatesToShow leaves out seen and dismissed movies, keeps the watchlist and the order', async () => {
    await reactions.react(userId, '4', { kind: 'not_interested' });
    const candidates = [1, 2, 3, 4, 5].map((movieId) => ({ movieId, score: 1, because: 9 }));
    assert.deepEqual((await candidatesToShow(store, userId, candidates)).map((c) => c.movieId), [2, 3, 5]);
  });

  test('refuses bad input naming the field, and unknown movies and users, storing nothing', async () => {
    const before = await store.listReactions(userId);
    const refused: [unknown, unknown, string][] = [
      ['0', { kind: 'seen' }, 'movieId'],
      ['1e3', { kind: 'seen' }, 'movieId'],
      ['7', { kind: 'seen', rating: 0 }, 'rating'],
      ['7', { kind: 'seen', rating: '6' }, 'rating'],
      ['7', { kind: 'not_interested', rating: 3 }, 'rating'],
      ['7', { kind: 'nope' }, 'kind'],
    ];
    for (const [movieId, body, field] of refused) {
      await assert.rejects(reactions.react(userId, movieId, body), (err: unknown) => {
        assert.ok(err instanceof ValidationError);
        assert.deepEqual(err.issues?.map((i) => i.field), [field]);
        assert.match(err.message, new RegExp(`^${field}: `));
        return true;
      });
    }
    await assert.rejects(reactions.react(userId, '999999999', { kind: 'seen' }), NotFoundError);
    await assert.rejects(reactions.react('no-such-user', '7', { kind: 'seen' }), NotFoundError);
    assert.deepEqual(await store.listReactions(userId), before);
  });
});
