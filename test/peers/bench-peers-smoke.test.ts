/**
 * scripts/bench-peers --smoke end to end, on a tiny synthetic set in a temporary folder: MovieHunter's ALS and the
 * implicit library (spark/.venv, which npm test sets up) each trained in its own process, read back and scored.
 * Spark is left to .ci/run's smoke run (its JVM start alone takes longer than this whole test).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSyntheticMovielens } from '../../src/synthetic/generate.js';
import type { BenchPeersReport } from '../../scripts/peers/summary.js';

const script = fileURLToPath(new URL('../../scripts/bench-peers.js', import.meta.url));

test('bench-peers --smoke trains each peer, scores both protocols with curves, and writes the JSON', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-peers-smoke-'));
  try {
    const data = join(dir, 'tiny');
    generateSyntheticMovielens({ users: 120, movies: 300, ratings: 4_000, seed: 3, out: data });
    const out = join(dir, 'bench-peers.json');
    const run = spawnSync(process.execPath, [script, '--smoke', '--data', data, '--peers', 'moviehunter,implicit', '--out', out], { encoding: 'utf8', timeout: 110_000 });
    assert.equal(run.status, 0, `bench-peers failed:\n${run.stderr.slice(-2000)}`);
    assert.match(run.stdout, /^moviehunter\s+\d/m);
    assert.match(run.stdout, /^implicit\s+\d/m);
    assert.match(run.stdout, /training time ≤ 3 × implicit/);
    const report = JSON.parse(readFileSync(out, 'utf8')) as BenchPeersReport;
    assert.equal(report.kind, 'bench-peers');
    assert.equal(report.smoke, true);
    assert.deepEqual(report.peers.map((p) => [p.engine, p.status]), [['moviehunter', 'ok'], ['implicit', 'ok']]);
    for (const peer of report.peers) {
      assert.ok(peer.trainSeconds! > 0 && peer.trainSeconds! < 60, `${peer.engine} train seconds ${peer.trainSeconds}`);
      assert.ok(peer.peakRssBytes! > 10e6, `${peer.engine} peak RSS ${peer.peakRssBytes}`);
      assert.equal(peer.iterations!.length, 3);
      assert.ok(peer.iterations!.every((it) => Number.isFinite(it.loss)), `${peer.engine} reports the loss per iteration`);
      const a = peer.protocolA!;
      assert.ok(a.metrics.recallAt20 > 0 && a.metrics.recallAt20 <= 1);
      assert.deepEqual(a.curves.ks, [1, 5, 10, 20, 50]);
      assert.ok(Math.abs(a.curves.recall[3] - a.metrics.recallAt20) < 1e-12, 'the curve at k = 20 is protocol A\'s R@20');
      for (const method of ['foldin', 'itemsim', 'blend'] as const) assert.ok(peer.protocolB![method]!.metrics.recallAt12 >= 0);
    }
    assert.equal(report.peers[1].params?.alpha, 1, 'implicit gets the confidence in the matrix, its own alpha 1');
    assert.ok(report.baselines.A.popularity.metrics.recallAt20 > 0);
    assert.ok(!('skipped' in report.notebook), 'the notebook comparison ran');
    if (!('skipped' in report.notebook)) assert.ok(report.notebook.agreement.overlap > 0);
    assert.equal(report.targets.length, 5);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
