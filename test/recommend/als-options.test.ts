import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultAlsOptions, resolveSolver, trainAls, validateAlsOptions } from '../../src/recommend/als/index.js';
import { csrFromCoo, transposeCsr } from '../../src/matrix/sparse.js';

test('the defaults are valid and what the API promises', () => {
  assert.deepEqual(validateAlsOptions(defaultAlsOptions), defaultAlsOptions);
  assert.equal(defaultAlsOptions.rank, 64);
  assert.equal(defaultAlsOptions.iterations, 15);
  assert.ok(defaultAlsOptions.threads >= 1);
});

test('validateAlsOptions names each bad field and its value', () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ rank: 0 }, /rank: .*\(got 0\)/],
    [{ rank: 2.5 }, /rank: .*\(got 2\.5\)/],
    [{ iterations: -1 }, /iterations: /],
    [{ regularization: 0 }, /regularization: must be > 0/],
    [{ alpha: -1 }, /alpha: must be ≥ 0/],
    [{ alpha: Number.POSITIVE_INFINITY }, /alpha: /],
    [{ ratingThreshold: 'high' }, /ratingThreshold: /],
    [{ scaleRegularization: 'yes' }, /scaleRegularization: /],
    [{ seed: 0.5 }, /seed: /],
    [{ solver: 'lu' }, /solver: .*"lu"/],
    [{ cgSteps: 0 }, /cgSteps: /],
    [{ threads: 0 }, /threads: .*\(got 0\)/],
    [{ rnak: 10 }, /rnak/], // a typo is not silently ignored
  ];
  for (const [change, message] of cases) {
    assert.throws(() => validateAlsOptions({ ...defaultAlsOptions, ...change }), message, JSON.stringify(change));
  }
  assert.throws(() => validateAlsOptions({ ...defaultAlsOptions, rank: 0, alpha: -1 }), /rank: [\s\S]*alpha: /);
  assert.throws(() => validateAlsOptions(null), /Invalid ALS options/);
  assert.throws(() => validateAlsOptions({ rank: 8 }), /iterations: /); // a complete object is required
});

test("solver 'auto' uses CG only where the rank and the data are large", () => {
  assert.equal(resolveSolver({ solver: 'auto', rank: 64 }, 100_000), 'cg');
  assert.equal(resolveSolver({ solver: 'auto', rank: 16 }, 25_000_000), 'cholesky');
  assert.equal(resolveSolver({ solver: 'auto', rank: 64 }, 1_000), 'cholesky');
  assert.equal(resolveSolver({ solver: 'cholesky', rank: 128 }, 25_000_000), 'cholesky');
});

const byUser = csrFromCoo(2, 3, new Int32Array([0, 1, 1]), new Int32Array([0, 1, 2]), new Float32Array([4, 5, 1]));

test('trainAls rejects bad options and inconsistent matrices before any work', async () => {
  await assert.rejects(trainAls({ byUser, byItem: transposeCsr(byUser) }, { rank: 0 }), /rank: /);
  await assert.rejects(trainAls({ byUser, byItem: byUser }, { rank: 2 }), /byItem must be byUser transposed/);
  const outOfRange = { ...byUser, indices: new Int32Array([0, 1, 7]) };
  await assert.rejects(trainAls({ byUser: outOfRange, byItem: transposeCsr(byUser) }, { rank: 2 }), /byUser entry #2 has column 7, outside \[0, 3\)/);
});

test('trainAls stops its workers and passes on an error thrown by onIteration', async () => {
  const failing = trainAls({ byUser, byItem: transposeCsr(byUser) }, { rank: 2, iterations: 3, threads: 2 }, () => {
    throw new Error('stop here');
  });
  await assert.rejects(failing, /stop here/);
  // Were a worker left running, this test file's process would never exit and the run would time out.
});
