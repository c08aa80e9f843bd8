import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateSessionSecret, SESSION_SECRET_FILE } from '../../src/bootstrap/session-secret.js';

test('a secret is made once in DATA_DIR and kept across starts', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'mh-secret-')), 'data');
  const first = await loadOrCreateSessionSecret(dir);
  assert.ok(first.length >= 32);
  assert.equal(statSync(join(dir, SESSION_SECRET_FILE)).mode & 0o777, 0o600);
  assert.equal(await loadOrCreateSessionSecret(dir), first);
});

test('two starts racing agree on one secret', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mh-secret-'));
  const secrets = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateSessionSecret(dir)));
  assert.equal(new Set(secrets).size, 1);
});

test('a configured secret wins and nothing is written', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mh-secret-'));
  assert.equal(await loadOrCreateSessionSecret(dir, 'c'.repeat(40)), 'c'.repeat(40));
  assert.throws(() => statSync(join(dir, SESSION_SECRET_FILE)));
});

test('a damaged secret file is reported, not silently replaced', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mh-secret-'));
  writeFileSync(join(dir, SESSION_SECRET_FILE), 'short\n');
  await assert.rejects(loadOrCreateSessionSecret(dir), /shorter than 32 characters/);
});
