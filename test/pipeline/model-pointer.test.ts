/** The model pointer says why it is unreadable (a missing one is normal), and the watcher warns once per kind of damage. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/log.js';
import { fileModelPointer } from '../../src/pipeline/model-pointer.js';
import { watchModel } from '../../src/pipeline/model-watcher.js';
import type { ItemFactorModel } from '../../src/recommend/model.js';

test('a missing pointer is quiet; garbage, a wrong shape and an empty name are reasons', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mh-pointer-'));
  try {
    const path = join(dir, 'current.json');
    const pointer = fileModelPointer(path);
    const reasons: string[] = [];
    const read = () => pointer.read((reason) => reasons.push(reason));
    assert.equal(await read(), null);
    assert.deepEqual(reasons, []);
    for (const [text, reason] of [['{"model": "/x', /is not JSON/], ['[1]', /names no model folder/], ['{"model": ""}', /names no model folder/]] as const) {
      writeFileSync(path, text);
      assert.equal(await read(), null);
      assert.match(reasons.pop() ?? '', reason);
    }
    writeFileSync(path, '{"model": "/runs/r1/model"}');
    assert.equal(await read(), '/runs/r1/model');
    assert.deepEqual(reasons, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the watcher warns once about an unreadable pointer, not at every look', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mh-pointer-'));
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const path = join(dir, 'current.json');
  writeFileSync(path, 'garbage');
  const watcher = watchModel({
    pointer: fileModelPointer(path),
    readModel: async () => ({ engine: 'inprocess', trainedAt: 'now' }) as unknown as ItemFactorModel,
    currentModel: { replace: () => {} },
    intervalMs: 60_000,
    logger: createLogger({ LOG_LEVEL: 'info', NODE_ENV: 'test' }, sink),
  });
  try {
    for (let i = 0; i < 3; i++) assert.equal(await watcher.check(), false);
    const warnings = () => lines.filter((line) => line.msg === 'the model pointer is unreadable; keeping the model in service');
    assert.equal(warnings().length, 1);
    assert.match(String(warnings()[0].reason), /is not JSON/);
    writeFileSync(path, '{"model": "/runs/r1/model"}');
    assert.equal(await watcher.check(), true);
    writeFileSync(path, 'garbage again');
    await watcher.check();
    assert.equal(warnings().length, 2, 'broken anew after a fix: said again');
  } finally {
    watcher.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
