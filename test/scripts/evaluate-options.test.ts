import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEvaluateArgs } from '../../scripts/cli/evaluate-options.js';

const root = '/repo';
const parse = (args: string[], env: Record<string, string> = {}) => parseEvaluateArgs(args, env, root, '/shared/ml-latest-small');

test('defaults: both protocols, seed 42, data from MOVIELENS_DIR or the shared copy, JSON under artifacts/', () => {
  assert.deepEqual(parse([]), {
    data: '/shared/ml-latest-small',
    out: '/repo/artifacts/evaluation-ml-latest-small.json',
    protocols: ['A', 'B'],
    seed: 42,
    als: { seed: 42 },
    folds: 10,
  });
  const fromEnv = parse([], { MOVIELENS_DIR: '/data/ml-1m' });
  assert.ok(fromEnv !== 'help');
  assert.equal(fromEnv.data, '/data/ml-1m');
  assert.equal(fromEnv.out, '/repo/artifacts/evaluation-ml-1m.json');
});

test('options reach ALS and the quick methods', () => {
  const command = parse(['--protocol', 'b', '--rank', '32', '--iterations', '10', '--regularization', '0.1', '--alpha', '5',
    '--seed', '7', '--foldin-regularization', '2', '--blend-weight', '0.3', '--out', '/tmp/x.json', '--data', '/d', '--folds', '1']);
  assert.deepEqual(command, {
    data: '/d', out: '/tmp/x.json', protocols: ['B'], seed: 7,
    als: { seed: 7, rank: 32, iterations: 10, regularization: 0.1, alpha: 5 },
    folds: 1,
    foldinRegularization: 2, blendWeight: 0.3,
  });
  assert.equal(parse(['--help']), 'help');
});

test('bad arguments are one line naming the flag', () => {
  const cases: Array<[string[], RegExp]> = [
    [['--rank', '0'], /^--rank must be a whole number from 1 to 1024, got "0"$/],
    [['--rank', '8.5'], /^--rank must be a whole number/],
    [['--iterations', 'ten'], /^--iterations must be a whole number/],
    [['--regularization', '0'], /^--regularization must be a number > 0, got "0"$/],
    [['--alpha=-1'], /^--alpha must be a number ≥ 0/],
    [['--alpha', '-1'], /^Option '--alpha' argument is ambiguous\. Did you forget/],
    [['--blend-weight', '2'], /^--blend-weight must be a number in \[0, 1\]/],
    [['--folds', '0'], /^--folds must be a whole number from 1 to 1000, got "0"$/],
    [['--folds', '2.5'], /^--folds must be a whole number/],
    [['--protocol', 'C'], /^--protocol must be A, B or both, got "C"$/],
    [['--ranks', '3'], /Unknown option '--ranks'/],
  ];
  for (const [args, message] of cases) {
    assert.throws(() => parse(args), (error: Error) => message.test(error.message) && !error.message.includes('\n'), args.join(' '));
  }
});

test('the compiled command exits with code 2 and no stack trace on bad arguments', (t) => {
  const script = resolve(dirname(fileURLToPath(import.meta.url)), '../../scripts/evaluate.js');
  if (!existsSync(script)) return t.skip('scripts/evaluate.js is not compiled next to the tests');
  for (const args of [['--rank', 'x'], ['--data', join('/nonexistent', 'folder')]]) {
    const run = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });
    assert.equal(run.status, 2, args.join(' '));
    assert.match(run.stderr, /^evaluate: (--rank must be a whole number|\/nonexistent\/folder: no MovieLens dataset found).*\n$/);
    assert.equal(run.stderr.split('\n').length, 2, 'one line, no stack trace');
  }
});
