/**
 * What every RunFolder / RunFolders must do, whatever the folder lives on (local disk, Cloud Storage): run by
 * run-folder-local.test.ts and run-folder-gcs.test.ts against each implementation.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { RunFolder, RunFolders } from '../../src/pipeline/run-files.js';

export interface ContractSubject {
  /** A new, empty folder on every call. */
  folder(): RunFolder;
  /** Run folders under a new, empty root on every call. */
  folders(): RunFolders;
  /** Stops whatever the subject started (optional). */
  close?(): Promise<void>;
}

const bytesOf = (text: string): Uint8Array => new TextEncoder().encode(text);

function assertSameBytes(actual: Uint8Array | null, expected: Uint8Array, what: string): void {
  assert.ok(actual !== null, `${what}: read returned null`);
  assert.equal(actual.byteLength, expected.byteLength, `${what}: length`);
  assert.ok(Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength).equals(Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength)), `${what}: bytes differ`);
}

export function runFolderContract(label: string, open: () => Promise<ContractSubject>): void {
  describe(`RunFolder contract: ${label}`, () => {
    let subject: ContractSubject;
    before(async () => {
      subject = await open();
    });
    after(async () => {
      await subject?.close?.();
    });

    test('text round-trips as UTF-8 bytes; the file then exists', async () => {
      const folder = subject.folder();
      const text = '{"rank": 8, "title": "Amélie — 天使"}\n';
      assert.equal(await folder.exists('params.json'), false);
      await folder.write('params.json', text);
      assertSameBytes(await folder.read('params.json'), bytesOf(text), 'params.json');
      assert.equal(new TextDecoder().decode(await folder.read('params.json')), text);
      assert.equal(await folder.exists('params.json'), true);
    });

    test('binary bytes round-trip exactly: every byte value, a view into a larger buffer, ~4 MB', async () => {
      const folder = subject.folder();
      const all = Uint8Array.from({ length: 512 }, (_, i) => i % 256);
      await folder.write('all.bin', all);
      assertSameBytes(await folder.read('all.bin'), all, 'all.bin');

      const backing = Uint8Array.from({ length: 100 }, (_, i) => i);
      const view = backing.subarray(10, 20); // only the view's bytes are written
      await folder.write('view.bin', view);
      assertSameBytes(await folder.read('view.bin'), Uint8Array.from({ length: 10 }, (_, i) => i + 10), 'view.bin');

      const big = new Uint8Array(randomBytes(4 * 1024 * 1024 + 3));
      await folder.write('model/item_factors.f32', big);
      assertSameBytes(await folder.read('model/item_factors.f32'), big, 'model/item_factors.f32');
    });

    test('an empty file (like _SUCCESS) exists and reads as zero bytes', async () => {
      const folder = subject.folder();
      await folder.write('_SUCCESS', '');
      assert.equal(await folder.exists('_SUCCESS'), true);
      const read = await folder.read('_SUCCESS');
      assert.ok(read !== null);
      assert.equal(read.byteLength, 0);
    });

    test('a missing file reads as null and does not exist, at the top and in a subfolder', async () => {
      const folder = subject.folder();
      assert.equal(await folder.read('recommendations.jsonl'), null);
      assert.equal(await folder.exists('recommendations.jsonl'), false);
      assert.equal(await folder.read('model/manifest.json'), null);
      assert.equal(await folder.exists('model/manifest.json'), false);
      await folder.write('model/manifest.json', '{}');
      assert.equal(await folder.read('model/item_factors.f32'), null, 'a sibling in the same subfolder is still missing');
      assert.equal(await folder.exists('model/item_factors.f32'), false);
    });

    test('a write replaces the whole file: nothing of a longer old content is left', async () => {
      const folder = subject.folder();
      await folder.write('current.json', 'x'.repeat(10_000));
      await folder.write('current.json', '{"model": "a"}\n');
      assert.equal(new TextDecoder().decode(await folder.read('current.json')), '{"model": "a"}\n');
      await folder.write('current.json', new Uint8Array([1, 2, 3]));
      assertSameBytes(await folder.read('current.json'), new Uint8Array([1, 2, 3]), 'current.json');
    });

    test('files in subfolders are separate files; pathOf is location/name', async () => {
      const folder = subject.folder();
      assert.ok(!folder.location.endsWith('/'), folder.location);
      await folder.write('model/manifest.json', 'manifest');
      await folder.write('model/item_factors.f32', 'factors');
      await folder.write('manifest.json', 'top');
      assert.equal(new TextDecoder().decode(await folder.read('model/manifest.json')), 'manifest');
      assert.equal(new TextDecoder().decode(await folder.read('model/item_factors.f32')), 'factors');
      assert.equal(new TextDecoder().decode(await folder.read('manifest.json')), 'top');
      for (const name of ['params.json', 'model/manifest.json', 'a/b/c.txt', '_SUCCESS']) {
        assert.equal(folder.pathOf(name), `${folder.location}/${name}`);
      }
    });

    test('parallel writes of different files all land', async () => {
      const folder = subject.folder();
      const names = Array.from({ length: 12 }, (_, i) => `part-${i}.jsonl`);
      await Promise.all(names.map((name, i) => folder.write(name, `${i}\n`)));
      const read = await Promise.all(names.map((name) => folder.read(name)));
      assert.deepEqual(read.map((bytes) => new TextDecoder().decode(bytes)), names.map((_, i) => `${i}\n`));
    });

    test('names that could leave the folder, or mean something else elsewhere, are refused before any I/O', async () => {
      const folder = subject.folder();
      const bad = ['', '../x', 'model/../../x', '/etc/passwd', 'a//b', 'model/', './x', 'a/./b', '..', 'a\\..\\b'];
      for (const name of bad) {
        const refused = { message: `${JSON.stringify(name)} is not a file name inside the run folder` };
        assert.throws(() => folder.pathOf(name), refused, JSON.stringify(name));
        await assert.rejects(folder.read(name), refused, JSON.stringify(name));
        await assert.rejects(folder.write(name, 'x'), refused, JSON.stringify(name));
        await assert.rejects(folder.exists(name), refused, JSON.stringify(name));
      }
    });

    test('RunFolders: one folder per safe run id, kept apart; unsafe ids are refused', async () => {
      const folders = subject.folders();
      const id = '20250101T000000000Z-abc123';
      const a = folders.folder(id);
      const b = folders.folder(`${id}-2`);
      assert.ok(a.location.endsWith(`/${id}`), a.location);
      assert.equal(folders.folder(id).location, a.location, 'the same id is the same folder');
      await a.write('picks.jsonl', 'a');
      assert.equal(await b.exists('picks.jsonl'), false);
      assert.equal(new TextDecoder().decode(await folders.folder(id).read('picks.jsonl')), 'a');
      for (const unsafe of ['../etc', 'a/b', '', '.', '..', '.hidden', 'a b', 'x'.repeat(129), 'a\\b', 'gs://x']) {
        assert.throws(() => folders.folder(unsafe), { message: `run id ${JSON.stringify(unsafe)} cannot name a folder` });
      }
      assert.doesNotThrow(() => folders.folder('base-20250101T000000000Z-abc123'));
      assert.doesNotThrow(() => folders.folder('x'.repeat(128)));
    });
  });
}
