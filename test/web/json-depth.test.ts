/** The nesting scanner the JSON body parser runs first, and the bad-value preview pick messages use. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonPreview } from '../../src/services/json-preview.js';
import { nestsDeeperThan } from '../../src/web/json-depth.js';

const deeper = (text: string, limit: number) => nestsDeeperThan(Buffer.from(text), limit);

test('nesting is counted over arrays and objects; brackets inside strings, escaped quotes included, do not count', () => {
  assert.equal(deeper('{"a":[1,{"b":[]}]}', 4), false);
  assert.equal(deeper('{"a":[1,{"b":[]}]}', 3), true);
  assert.equal(deeper('["[[[[[[", "\\"[[[[[", {}]', 2), false);
  assert.equal(deeper('[[]][[]][[]]', 2), false, 'siblings do not add up');
  assert.equal(deeper('['.repeat(5_000), 32), true);
  assert.equal(deeper('', 32), false);
});

test('the preview is the JSON text, cut at its limit, however deep the value', () => {
  assert.equal(jsonPreview('abc'), '"abc"');
  assert.equal(jsonPreview([1, 'x', null, { a: true }]), '[1,"x",null,{"a":true}]');
  assert.equal(jsonPreview(undefined), 'undefined');
  assert.equal(jsonPreview(-1.5), '-1.5');
  assert.equal(jsonPreview('x'.repeat(40)), `"${'x'.repeat(26)}...`);
  let deep: unknown = 1;
  for (let i = 0; i < 100_000; i++) deep = [deep];
  assert.equal(jsonPreview(deep), `${'['.repeat(27)}...`);
  for (const value of [{ b: [1, 2], c: 's' }, [[], {}], 'é"\n', 1234567890.5]) {
    assert.equal(jsonPreview(value), JSON.stringify(value));
  }
});
