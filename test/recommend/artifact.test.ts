import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeModel, encodeModel, float32ToLittleEndian, formatManifest, littleEndianToFloat32, type ModelManifest } from '../../src/recommend/artifact.js';
import type { ItemFactorModel, ModelParams } from '../../src/recommend/model.js';

const params: ModelParams = { rank: 3, iterations: 15, regularization: 0.05, alpha: 2, ratingThreshold: null, scaleRegularization: true, seed: 42 };

function sampleModel(): ItemFactorModel {
  // Values chosen to catch byte-order and precision slips: negative zero, subnormal, large, tiny, non-round.
  const itemFactors = new Float32Array([0.1, -0.2, 3.5, -0, 1e-40, 123456.789, -7.25, 2 ** -20, 0.3333333, 1, -1, 0.5]);
  return { rank: 3, itemIds: new Int32Array([1, 296, 2571, 193609]), itemFactors, params, engine: 'inprocess', trainedAt: '2024-05-01T12:00:00.000Z' };
}

/** A valid encoded sample, with a manifest edit applied. */
function encoded(edit: (m: Record<string, unknown>) => void = () => {}) {
  const { manifest, factors } = encodeModel(sampleModel());
  const m = structuredClone(manifest) as unknown as Record<string, unknown>;
  edit(m);
  return { text: formatManifest(m as unknown as ModelManifest), factors };
}

test('encode then decode gives back the model bit for bit', () => {
  const model = sampleModel();
  const { manifest, factors } = encodeModel(model);
  const back = decodeModel(formatManifest(manifest), factors);
  assert.deepEqual(new Uint8Array(back.itemFactors.buffer), new Uint8Array(model.itemFactors.buffer));
  assert.deepEqual(Array.from(back.itemIds), Array.from(model.itemIds));
  assert.deepEqual(back.params, model.params);
  assert.equal(back.engine, 'inprocess');
  assert.equal(back.trainedAt, model.trainedAt);
  assert.equal(back.rank, 3);
});

test('the factor bytes are little-endian float32, row-major in itemIds order', () => {
  const { manifest, factors } = encodeModel(sampleModel());
  const view = new DataView(factors.buffer, factors.byteOffset, factors.byteLength);
  assert.equal(factors.byteLength, 4 * 3 * 4);
  assert.equal(view.getFloat32(0, true), Math.fround(0.1));
  assert.equal(view.getFloat32((2 * 3 + 0) * 4, true), -7.25); // item 2571, factor 0
  assert.deepEqual([factors[4 * 11], factors[4 * 11 + 3]], [0x00, 0x3f]); // 0.5 = 0x3f000000, low byte first
  assert.deepEqual(manifest.itemIds, [1, 296, 2571, 193609]);
});

test('the portable DataView path (used on big-endian hosts) writes and reads the same bytes as the fast path', () => {
  const values = sampleModel().itemFactors;
  const portable = float32ToLittleEndian(values, false);
  assert.deepEqual(portable, float32ToLittleEndian(values)); // the host's own path agrees, whatever its byte order
  assert.deepEqual(new Uint8Array(littleEndianToFloat32(portable, false).buffer), new Uint8Array(values.buffer));
  assert.deepEqual(new Uint8Array(littleEndianToFloat32(portable.subarray(4), false).buffer), new Uint8Array(values.buffer, 4));
});

test('the manifest carries exactly the documented fields', () => {
  const { manifest } = encodeModel(sampleModel());
  const parsed = JSON.parse(formatManifest(manifest));
  assert.deepEqual(Object.keys(parsed).sort(), ['byteOrder', 'dtype', 'engine', 'file', 'format', 'itemCount', 'itemIds', 'params', 'rank', 'trainedAt', 'version']);
  assert.deepEqual(
    { format: parsed.format, version: parsed.version, rank: parsed.rank, itemCount: parsed.itemCount, dtype: parsed.dtype, byteOrder: parsed.byteOrder, file: parsed.file },
    { format: 'moviehunter-item-factors', version: 1, rank: 3, itemCount: 4, dtype: 'float32', byteOrder: 'little', file: 'item_factors.f32' },
  );
});

test('decode copies the bytes whatever their alignment (a Buffer slice at an odd offset)', () => {
  const { manifest, factors } = encodeModel(sampleModel());
  const padded = new Uint8Array(factors.byteLength + 1);
  padded.set(factors, 1);
  const back = decodeModel(formatManifest(manifest), padded.subarray(1));
  assert.deepEqual(Array.from(back.itemFactors), Array.from(sampleModel().itemFactors));
  padded.fill(0);
  assert.equal(back.itemFactors[0], Math.fround(0.1), 'the model does not alias the input bytes');
});

const corrupt: Array<[string, (m: Record<string, unknown>) => void, RegExp]> = [
  ['wrong format', (m) => { m.format = 'something-else'; }, /manifest\.json: format is "something-else", expected "moviehunter-item-factors"/],
  ['newer version', (m) => { m.version = 2; }, /manifest\.json: version 2 is not supported/],
  ['other dtype', (m) => { m.dtype = 'float64'; }, /dtype is "float64", expected "float32"/],
  ['big-endian', (m) => { m.byteOrder = 'big'; }, /byteOrder is "big", expected "little"/],
  ['rank 0', (m) => { m.rank = 0; }, /rank must be a positive integer, got 0/],
  ['fractional rank', (m) => { m.rank = 2.5; }, /rank must be a positive integer, got 2\.5/],
  ['itemCount disagreeing with itemIds', (m) => { m.itemCount = 5; }, /itemCount is 5 but itemIds has 4 entries/],
  ['duplicate ids', (m) => { m.itemIds = [1, 296, 1, 193609]; }, /movie id 1 appears twice in itemIds \(at 0 and 2\)/],
  ['non-integer id', (m) => { m.itemIds = [1, 296, '2571', 193609]; }, /itemIds\[2\] is "2571", expected an integer movie id/],
  ['itemIds missing', (m) => { delete m.itemIds; }, /itemIds must be an array/],
  ['file with a path', (m) => { m.file = '../../etc/passwd'; }, /file must be a plain file name/],
  ['params missing', (m) => { delete m.params; }, /params missing/],
  ['params without alpha', (m) => { delete (m.params as Record<string, unknown>).alpha; }, /params\.alpha is missing, expected a finite number/],
  ['params with another rank', (m) => { (m.params as Record<string, unknown>).rank = 64; }, /params\.rank is 64, expected 3/],
  ['bad trainedAt', (m) => { m.trainedAt = 'yesterday'; }, /trainedAt must be an ISO-8601 time/],
];

for (const [what, edit, message] of corrupt) {
  test(`decode refuses a manifest with ${what}`, () => {
    const { text, factors } = encoded(edit);
    assert.throws(() => decodeModel(text, factors), message);
  });
}

test('decode refuses text that is not JSON, or JSON that is not an object', () => {
  const { factors } = encodeModel(sampleModel());
  assert.throws(() => decodeModel('{"format": ', factors), /^Error: model\/manifest\.json: not valid JSON/);
  assert.throws(() => decodeModel('[1, 2]', factors), /model\/manifest\.json: expected a JSON object/);
});

test('decode names the factors file and both sizes when the byte length disagrees with the manifest', () => {
  const { text, factors } = encoded();
  assert.throws(() => decodeModel(text, factors.subarray(0, 44)), {
    message: 'model/item_factors.f32: 44 bytes, manifest says 4 × 3 × 4 = 48',
  });
  assert.throws(
    () => decodeModel(text, new Uint8Array(1_234_560), { manifest: 'run-7/model/manifest.json', factors: 'run-7/model/item_factors.f32' }),
    { message: 'run-7/model/item_factors.f32: 1,234,560 bytes, manifest says 4 × 3 × 4 = 48' },
  );
});

test('decode refuses non-finite factors, naming the item and factor', () => {
  const { text, factors } = encoded();
  const bytes = factors.slice();
  new DataView(bytes.buffer).setFloat32((2 * 3 + 1) * 4, NaN, true);
  assert.throws(() => decodeModel(text, bytes), /item_factors\.f32: factor 1 of item 2571 \(row 2\) is NaN/);
  new DataView(bytes.buffer).setFloat32((2 * 3 + 1) * 4, -Infinity, true);
  assert.throws(() => decodeModel(text, bytes), /factor 1 of item 2571 \(row 2\) is -Infinity/);
});

test('encode refuses a model whose factors do not fit its ids, or whose factors are not finite', () => {
  const model = sampleModel();
  assert.throws(() => encodeModel({ ...model, itemFactors: model.itemFactors.subarray(0, 9) }), /9 factors, expected 4 items × 3/);
  const bad = model.itemFactors.slice();
  bad[4] = Infinity;
  assert.throws(() => encodeModel({ ...model, itemFactors: bad }), /factor 1 of item 296 \(row 1\) is Infinity/);
  assert.throws(() => encodeModel({ ...model, itemIds: new Int32Array([1, 2, 2, 3]) }), /movie id 2 appears twice/);
});
