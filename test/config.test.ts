import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../src/config.js';
import { wasmSimdSupported } from '../src/wasm.js';

test('defaults apply when the environment is empty', () => {
  const config = loadConfig({});
  assert.equal(config.PORT, 3000);
  assert.equal(config.STORE, 'sqlite');
  assert.equal(config.ENGINE, 'inprocess');
  assert.equal(config.MOVIELENS_DIR, undefined); // resolved at start-up: shared copy, DATA_DIR, or a download
});

test('a bad value is named in the error', () => {
  assert.throws(() => loadConfig({ PORT: 'eighty', ENGINE: 'gpu' }), (err: Error) => {
    assert.match(err.message, /PORT/);
    assert.match(err.message, /ENGINE/);
    return true;
  });
});

test('SESSION_SECRET is required in production', () => {
  assert.throws(() => loadConfig({ NODE_ENV: 'production' }), /SESSION_SECRET: is required in production/);
  assert.equal(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32) }).NODE_ENV, 'production');
});

test('ALS_KERNELS is wasm where the runtime has WebAssembly SIMD (Node 20 has), js when asked, nothing else', () => {
  assert.equal(wasmSimdSupported(), true);
  assert.equal(loadConfig({}).ALS_KERNELS, 'wasm');
  assert.equal(loadConfig({ ALS_KERNELS: 'js' }).ALS_KERNELS, 'js');
  assert.throws(() => loadConfig({ ALS_KERNELS: 'gpu' }), /ALS_KERNELS/);
});
