import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeModel } from '../../src/pipeline/model-folder.js';
import { localRunFolder, localRunFolders, type RunFolder } from '../../src/pipeline/run-files.js';
import { readClaims, readRunInput, writeClaims, writeRunInput, type RunUser } from '../../src/pipeline/run-folder.js';
import { readRunOutput } from '../../src/pipeline/run-output.js';
import { foldInScorer, largestPart, prepareModel } from '../../src/recommend/foldin.js';
import type { ItemFactorModel } from '../../src/recommend/model.js';
import { smallParams, tempDir } from './support.js';

/** 60 candidates written per user, 48 shown. */
const params = smallParams({ rank: 4, candidates: 60 });
const users: RunUser[] = [
  { user: 'u-1', movies: [1, 2, 3, 4, 5] },
  { user: 'u-2', movies: [10, 20, 30, 40, 50] },
];

function model(items: number, rank = 4): ItemFactorModel {
  const itemFactors = Float32Array.from({ length: items * rank }, (_, i) => Math.sin(i));
  const modelParams = { rank, iterations: 3, regularization: 0.5, alpha: 2, ratingThreshold: null, scaleRegularization: true, seed: 42 };
  return { rank, itemIds: Int32Array.from({ length: items }, (_, i) => i + 1), itemFactors, params: modelParams, engine: 'test', trainedAt: new Date(0).toISOString() };
}

/** A correct recommendation line: the first `count` unpicked movies, scores falling. */
function line(user: RunUser, items: number, count = params.candidates): string {
  const picked = new Set(user.movies);
  const movies = Array.from({ length: items }, (_, i) => i + 1).filter((id) => !picked.has(id)).slice(0, count);
  return JSON.stringify({ user: user.user, items: movies.map((movie, i) => ({ movie, score: 10 - i / 10 })) });
}

/** A finished run folder: inputs, outputs and _SUCCESS; `lines` replaces recommendations.jsonl. */
async function finishedRun(options: { items?: number; lines?: string[]; success?: boolean } = {}): Promise<RunFolder> {
  const items = options.items ?? 100;
  const folder = localRunFolder(join(tempDir('run-'), 'run'));
  await writeRunInput(folder, { users, params });
  await folder.write('recommendations.jsonl', `${(options.lines ?? users.map((u) => line(u, items))).join('\n')}\n`);
  await writeModel(folder, 'model', model(items));
  await folder.write('metrics.json', '{"seconds": {"train": 1}}');
  if (options.success ?? true) await folder.write('_SUCCESS', '');
  return folder;
}

test('writeRunInput writes the contract files and readRunInput reads them back', async () => {
  const folder = localRunFolder(join(tempDir(), 'r1'));
  await writeRunInput(folder, { users, params });
  assert.equal(await readFile(folder.pathOf('picks.jsonl'), 'utf8'), '{"user":"u-1","movies":[1,2,3,4,5]}\n{"user":"u-2","movies":[10,20,30,40,50]}\n');
  const json = JSON.parse(await readFile(folder.pathOf('params.json'), 'utf8'));
  assert.deepEqual(Object.keys(json), ['rank', 'iterations', 'regularization', 'alpha', 'ratingThreshold', 'scaleRegularization', 'seed', 'topN', 'candidates', 'pickRating', 'ratingsPath']);
  assert.equal(json.topN, 48);
  assert.equal(json.candidates, 60);
  assert.match(json.ratingsPath, /^\/.*ratings\.csv$/);
  assert.deepEqual(await readRunInput(folder), { users, params });
  await writeClaims(folder, new Map([['u-1', 3], ['u-2', 1]]));
  assert.deepEqual(await readClaims(folder), new Map([['u-1', 3], ['u-2', 1]]));
});

test('a run folder without _SUCCESS is not ready; with it, every output is read', async () => {
  const pending = await finishedRun({ success: false });
  assert.equal(await readRunOutput(pending, users), null);
  const done = await finishedRun();
  const output = await readRunOutput(done, users);
  assert.ok(output);
  assert.equal(output.candidates.get('u-1')!.length, 60);
  assert.equal(output.candidates.get('u-1')![0].movie, 6);
  assert.equal(output.model.itemIds.length, 100);
  assert.deepEqual(output.metrics, { seconds: { train: 1 } });
});

test('fewer than `candidates` items are right when the model has fewer unpicked movies', async () => {
  const folder = await finishedRun({ items: 50 });
  const output = await readRunOutput(folder, users);
  assert.equal(output!.candidates.get('u-1')!.length, 45);
  const short = await finishedRun({ items: 100, lines: users.map((u) => line(u, 100, 59)) });
  await assert.rejects(readRunOutput(short, users), { message: `${short.pathOf('recommendations.jsonl')}:1: 59 items for user "u-1", expected 60` });
});

test('every candidate is explained: because is the pick with the largest fold-in contribution under the run model', async () => {
  const folder = await finishedRun();
  const output = (await readRunOutput(folder, users))!;
  const prepared = prepareModel(model(100));
  for (const { user, movies } of users) {
    const candidates = output.candidates.get(user)!;
    assert.equal(candidates.length, 60);
    const scorer = foldInScorer(prepared, movies, { ratings: movies.map(() => params.pickRating) });
    const parts = new Float64Array(movies.length);
    const reasons = new Set<number>();
    for (const { movie, because } of candidates) {
      scorer.contributions(prepared.itemIndex.get(movie)!, parts);
      assert.equal(because, movies[largestPart(parts)], `user ${user}, movie ${movie}`);
      reasons.add(because);
    }
    assert.ok(reasons.size > 1, 'the reasons differ between candidates');
  }
});

test('an older params.json without candidates means topN candidates; candidates below topN is refused', async () => {
  const folder = await finishedRun({ lines: users.map((u) => line(u, 100, 48)) });
  const { candidates: _, ...older } = params;
  await writeFile(folder.pathOf('params.json'), JSON.stringify(older));
  assert.equal((await readRunInput(folder)).params.candidates, 48);
  const output = (await readRunOutput(folder, users))!;
  assert.equal(output.candidates.get('u-2')!.length, 48);
  assert.ok(output.candidates.get('u-2')!.every((c) => users[1].movies.includes(c.because)));
  await writeFile(folder.pathOf('params.json'), JSON.stringify({ ...params, candidates: 47 }));
  await assert.rejects(readRunInput(folder), { message: `${folder.pathOf('params.json')}: candidates 47 is fewer than topN 48` });
});

test('a user none of whose picks is in the run model cannot be explained: an error naming the file and user', async () => {
  const stranger: RunUser[] = [users[0], { user: 'u-2', movies: [500, 501] }];
  const folder = localRunFolder(join(tempDir('run-'), 'run'));
  await writeRunInput(folder, { users: stranger, params });
  await folder.write('recommendations.jsonl', `${stranger.map((u) => line(u, 100)).join('\n')}\n`);
  await writeModel(folder, 'model', model(100));
  await folder.write('metrics.json', '{}');
  await folder.write('_SUCCESS', '');
  await assert.rejects(readRunOutput(folder, stranger), {
    message: `${folder.pathOf('recommendations.jsonl')}: user "u-2": none of the picks (500, 501) is in the model: nothing explains the candidates`,
  });
});

test('a corrupt recommendations line is an error naming file and line', async () => {
  const [good] = users.map((u) => line(u, 100));
  const cases: [string, RegExp][] = [
    ['{"user": "u-2", "items": [', /:2: not valid JSON/],
    ['["u-2"]', /:2: expected \{"user"/],
    [line({ user: 'stranger', movies: [1] }, 100), /:2: user "stranger" was not asked for in this run/],
    [good, /:2: user "u-1" appears twice \(first at line 1\)/],
    [line({ user: 'u-2', movies: [11] }, 100), /:2: items\[9\]: movie 10 is one of the user's picks/],
    [JSON.stringify({ user: 'u-2', items: Array.from({ length: params.candidates }, (_, i) => ({ movie: 1, score: -i })) }), /:2: items\[1\]: movie 1 is listed twice/],
    [JSON.stringify({ user: 'u-2', items: Array.from({ length: params.candidates }, (_, i) => ({ movie: i + 200, score: -i })) }), /:2: items\[0\]: movie 200 is not in the run's model/],
    [JSON.stringify({ user: 'u-2', items: Array.from({ length: params.candidates }, (_, i) => ({ movie: i + 51, score: i === 3 ? null : -i })) }), /:2: items\[3\]\.score is null, expected a finite number/],
    [JSON.stringify({ user: 'u-2', items: (JSON.parse(line(users[1], 100)) as { items: { movie: number }[] }).items.map(({ movie }, i) => ({ movie, score: i })) }), /:2: items\[1\] scores higher than items\[0\]/],
  ];
  for (const [second, pattern] of cases) {
    const folder = await finishedRun({ lines: [good, second] });
    await assert.rejects(readRunOutput(folder, users), (err: Error) => {
      assert.ok(err.message.startsWith(folder.pathOf('recommendations.jsonl')), err.message);
      assert.match(err.message, pattern);
      return true;
    });
  }
});

test('a user asked for but missing from the output is an error, not a partial import', async () => {
  const folder = await finishedRun({ lines: [line(users[0], 100)] });
  await assert.rejects(readRunOutput(folder, users), /recommendations\.jsonl: no recommendations for 1 of the 2 users asked for \("u-2"\)/);
});

test('a missing or damaged model, missing outputs and bad metrics are errors naming the file', async () => {
  let folder = await finishedRun();
  await rm(folder.pathOf('model'), { recursive: true });
  await assert.rejects(readRunOutput(folder, users), { message: `${folder.pathOf('model/manifest.json')}: missing (no model was written)` });

  folder = await finishedRun();
  await truncate(folder.pathOf('model/item_factors.f32'), 100);
  await assert.rejects(readRunOutput(folder, users), { message: `${folder.pathOf('model/item_factors.f32')}: 100 bytes, manifest says 100 × 4 × 4 = 1,600` });

  folder = await finishedRun();
  await writeModel(folder, 'model', model(100, 8));
  await assert.rejects(readRunOutput(folder, users), /manifest\.json: rank 8, but params\.json asked for 4/);

  folder = await finishedRun();
  await rm(folder.pathOf('recommendations.jsonl'));
  await assert.rejects(readRunOutput(folder, users), { message: `${folder.pathOf('recommendations.jsonl')}: missing` });

  folder = await finishedRun();
  await writeFile(folder.pathOf('metrics.json'), '{"seconds": ');
  await assert.rejects(readRunOutput(folder, users), { message: new RegExp(`^${folder.pathOf('metrics.json')}: not valid JSON`) });
  await writeFile(folder.pathOf('metrics.json'), '[1, 2]');
  await assert.rejects(readRunOutput(folder, users), /metrics\.json: expected a JSON object/);
});

test('bad input files are errors naming file and line', async () => {
  const folder = localRunFolder(join(tempDir(), 'r2'));
  await writeRunInput(folder, { users, params });
  await writeFile(folder.pathOf('picks.jsonl'), '{"user":"a","movies":[1,2]}\n{"user":"b","movies":[3,3]}\n');
  await assert.rejects(readRunInput(folder), { message: `${folder.pathOf('picks.jsonl')}:2: movie 3 is picked twice` });
  await writeFile(folder.pathOf('picks.jsonl'), '{"user":"a","movies":[1]}\n\n{"user":"a","movies":[2]}\n');
  await assert.rejects(readRunInput(folder), { message: `${folder.pathOf('picks.jsonl')}:3: user "a" appears twice (first at ${folder.pathOf('picks.jsonl')}:1)` });
  await writeFile(folder.pathOf('params.json'), JSON.stringify({ ...params, rank: 0, extra: 1 }));
  await assert.rejects(readRunInput(folder), /params\.json: rank .*; \(params\) .*extra/);
  await assert.rejects(writeRunInput(folder, { users: [{ user: 'x', movies: [] }], params }), /users\[0\]: movies is \[\], expected a non-empty array/);
});

test('a finished folder is never reused, and run ids cannot leave the runs folder', async () => {
  const folder = await finishedRun();
  await assert.rejects(writeRunInput(folder, { users, params }), /already holds a finished run/);
  const folders = localRunFolders(tempDir());
  assert.throws(() => folders.folder('../etc'), /cannot name a folder/);
  assert.throws(() => folders.folder('a/b'), /cannot name a folder/);
  assert.throws(() => folder.pathOf('../x'), /not a file name inside the run folder/);
  assert.equal(folders.folder('20250101T000000000Z-abc123').location.endsWith('20250101T000000000Z-abc123'), true);
});

test('seen and not-wanted movies ride along in picks.jsonl, are never candidates, and seen ones shape the explanation only', async () => {
  const reacting: RunUser[] = [{ user: 'u-1', movies: [1, 2, 3, 4, 5], rated: [{ movie: 6, rating: 4 }, { movie: 7, rating: 3 }], excluded: [8, 200] }];
  const folder = localRunFolder(join(tempDir('run-'), 'run'));
  await writeRunInput(folder, { users: reacting, params });
  assert.equal(
    await readFile(folder.pathOf('picks.jsonl'), 'utf8'),
    '{"user":"u-1","movies":[1,2,3,4,5],"rated":[{"movie":6,"rating":4},{"movie":7,"rating":3}],"excluded":[8,200]}\n',
  );
  assert.deepEqual((await readRunInput(folder)).users, reacting);
  const unwanted = new Set([1, 2, 3, 4, 5, 6, 7, 8]);
  const movies = Array.from({ length: 100 }, (_, i) => i + 1).filter((id) => !unwanted.has(id));
  const write = (ids: number[]) => folder.write('recommendations.jsonl', `${JSON.stringify({ user: 'u-1', items: ids.map((movie, i) => ({ movie, score: 10 - i / 10 })) })}\n`);
  await writeModel(folder, 'model', model(100));
  await folder.write('metrics.json', '{}');
  await folder.write('_SUCCESS', '');
  // 100 movies in the model − 8 unwanted in it (200 is not) = 92 ≥ 60 candidates.
  await write(movies.slice(0, 60));
  const output = await readRunOutput(folder, reacting);
  assert.equal(output!.candidates.get('u-1')!.length, 60);
  assert.ok(output!.candidates.get('u-1')!.every((c) => [1, 2, 3, 4, 5].includes(c.because)), 'because is always a pick');
  await write([6, ...movies.slice(0, 59)]);
  await assert.rejects(readRunOutput(folder, reacting), /items\[0\]: movie 6 is one the user has seen or excluded/);
  await write([8, ...movies.slice(0, 59)]);
  await assert.rejects(readRunOutput(folder, reacting), /items\[0\]: movie 8 is one the user has seen or excluded/);
});

test('picks.jsonl refuses a movie both picked and seen, seen and excluded, or rated 0', async () => {
  const folder = localRunFolder(join(tempDir(), 'bad'));
  const cases: [RunUser, RegExp][] = [
    [{ user: 'a', movies: [1], rated: [{ movie: 1, rating: 4 }] }, /movie 1 is both picked and rated/],
    [{ user: 'a', movies: [1], rated: [{ movie: 2, rating: 4 }], excluded: [2] }, /movie 2 is both rated and excluded/],
    [{ user: 'a', movies: [1], rated: [{ movie: 2, rating: 0 }] }, /the rating of movie 2 is 0, expected a number > 0/],
    [{ user: 'a', movies: [1], excluded: [3, 3] }, /movie 3 is excluded twice/],
  ];
  for (const [user, message] of cases) await assert.rejects(writeRunInput(folder, { users: [user], params }), message);
  await writeRunInput(folder, { users: [{ user: 'a', movies: [1] }], params });
  await writeFile(folder.pathOf('picks.jsonl'), '{"user":"a","movies":[1],"excluded":"2"}\n');
  await assert.rejects(readRunInput(folder), /picks\.jsonl:1: excluded is "2", expected an array of movie ids/);
});
