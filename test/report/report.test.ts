import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildReport } from '../../scripts/report/build.js';
import { evaluationFileSchema } from '../../scripts/report/schemas.js';
import { readAppStylesheet } from '../../scripts/report/stylesheet.js';
import { benchPeersFixture, evaluationFixture, tuningFixture } from './fixture.js';

const stylesheet = readAppStylesheet();

/** The checks every generated report must pass: one page, nothing fetched from elsewhere, every chart named. */
function assertSelfContained(html: string): void {
  assert.match(html, /^<!doctype html>\n<html lang="en">/);
  assert.ok(html.trimEnd().endsWith('</html>'));
  assert.doesNotMatch(html, /<script|<link|<img|<iframe|@import/i, 'no script, stylesheet, image or frame');
  // Every URL-valued attribute or CSS url() is local (a data: URL at most); the only "http" left is SVG's namespace
  // name, never fetched.
  assert.doesNotMatch(html, /\b(?:href|src|action|srcset)\s*=\s*"(?!#)/i);
  assert.doesNotMatch(html, /url\((?!\s*["']?data:)/i);
  assert.deepEqual([...new Set(html.match(/https?:\/\/[^\s"'<>]+/g) ?? [])], html.includes('<svg') ? ['http://www.w3.org/2000/svg'] : []);
  // The page's own SVGs (the stylesheet's icons are data, not part of the page).
  const body = html.replace(/<style>[\s\S]*?<\/style>/g, '');
  const svgs = body.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
  for (const svg of svgs) assert.match(svg, /^<svg[^>]*>\s*<title id="[^"]+">[^<]+<\/title>/, `an SVG without a title: ${svg.slice(0, 120)}`);
  assert.equal((body.match(/<svg/g) ?? []).length, svgs.length, 'every <svg> closes');
}

test('the report of a small set of runs: every section, charts with their tables, self-contained', () => {
  const html = buildReport({
    generatedAt: '2026-01-01T00:00:00.000Z',
    stylesheet,
    benchPeers: [{ file: 'artifacts/bench-peers-small.json', report: benchPeersFixture('small', 100_000, false) }, { file: 'artifacts/bench-peers-big.json', report: benchPeersFixture('big', 1_000_000, false) }],
    evaluations: [{ file: 'artifacts/evaluation-small.json', report: evaluationFixture() }],
    tuning: [{ file: 'artifacts/tuning-small.json', report: tuningFixture() }],
  });
  assertSelfContained(html);
  for (const heading of ['Peers on small', 'Peers on big', 'Training time and memory against dataset size', 'Best movies: the original notebook against the core', 'Tuning: tune-test', 'npm run evaluate on small']) {
    assert.ok(html.includes(`<h2>${heading}</h2>`), heading);
  }
  for (const title of ['Protocol A: Recall@k', 'Protocol B: Recall@k, itemsim (served)', 'Training loss per iteration', 'Training time against dataset size', 'Peak memory against dataset size']) {
    assert.ok(html.includes(`>${title}</title>`), title);
  }
  assert.equal((html.match(/<figure/g) ?? []).length, (html.match(/<details class="chart-data">/g) ?? []).length, 'every chart has its numbers');
  assert.ok(html.includes('could not run: out of memory'), 'a peer that could not run is named with its reason');
  assert.ok(html.includes('&lt;b&gt;'), 'text from the JSON is escaped');
  assert.ok(!html.includes('<b>x</b>'));
});

test('smoke runs are left out when real ones exist; alone they are shown with a warning', () => {
  const both = buildReport({ generatedAt: 'now', stylesheet, benchPeers: [{ file: 's.json', report: benchPeersFixture('smoke', 4_000, true) }, { file: 'r.json', report: benchPeersFixture('small', 100_000, false) }], evaluations: [], tuning: [] });
  assert.ok(!both.includes('<h2>Peers on smoke'));
  const alone = buildReport({ generatedAt: 'now', stylesheet, benchPeers: [{ file: 's.json', report: benchPeersFixture('smoke', 4_000, true) }], evaluations: [], tuning: [] });
  assertSelfContained(alone);
  assert.ok(alone.includes('<h2>Peers on smoke (smoke run)</h2>'));
  assert.ok(alone.includes('Only smoke runs'));
});

test('npm run report with no runs still writes a page saying what to run', () => {
  const html = buildReport({ generatedAt: 'now', stylesheet, benchPeers: [], evaluations: [], tuning: [] });
  assertSelfContained(html);
  assert.ok(html.includes('No runs found'));
});

test("the report is styled by the app's own stylesheet, inlined whole", () => {
  const html = buildReport({ generatedAt: 'now', stylesheet, benchPeers: [], evaluations: [], tuning: [] });
  assert.ok(stylesheet.includes('.chart-figure'), 'views/static/app.css styles the charts');
  assert.ok(html.includes(`<style>\n${stylesheet}`));
});

test('a metric evaluate could not compute (NaN, written as null) shows as a dash, and has no bar', () => {
  const base = evaluationFixture();
  const [a, b] = base.protocols;
  const withNull = { ...base, protocols: [{ ...a, rows: [...a.rows, { model: 'broken', users: 0, metrics: { recallAt20: null, precisionAt10: null }, trainSeconds: 0 }] }, b] };
  const html = buildReport({ generatedAt: 'now', stylesheet, benchPeers: [], evaluations: [{ file: 'e.json', report: evaluationFileSchema.parse(JSON.parse(JSON.stringify(withNull))) }], tuning: [] });
  assertSelfContained(html);
  assert.match(html, /<th scope="row">broken<\/th><td>0<\/td><td>–<\/td><td>–<\/td>/);
  assert.equal(html.split('>broken<').length - 1, 1, 'in the table only, not among the bars');
});

test('the command reads artifacts/*.json and writes report.html', () => {
  const dir = mkdtempSync(join(tmpdir(), 'report-'));
  try {
    writeFileSync(join(dir, 'bench-peers-small.json'), JSON.stringify(benchPeersFixture('small', 100_000, false)));
    writeFileSync(join(dir, 'tuning-small.json'), JSON.stringify(tuningFixture()));
    writeFileSync(join(dir, 'evaluation-small.json'), JSON.stringify(evaluationFixture()));
    writeFileSync(join(dir, 'evaluation-engines-small.json'), JSON.stringify({ engines: [] })); // another shape: skipped
    writeFileSync(join(dir, 'bench-peers-broken.json'), '{');
    writeFileSync(join(dir, 'tuning-partial.json'), JSON.stringify({ ...tuningFixture(), candidates: undefined }));
    const script = fileURLToPath(new URL('../../scripts/report.js', import.meta.url));
    const run = spawnSync(process.execPath, [script, '--artifacts', dir], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /1 bench-peers run\(s\), 1 tuning run\(s\), 1 evaluation\(s\)/);
    assert.match(run.stderr, /bench-peers-broken\.json skipped/);
    assert.match(run.stderr, /tuning-partial\.json skipped: .*candidates/, 'a file of a known kind but the wrong shape is named with the field');
    assertSelfContained(readFileSync(join(dir, 'report.html'), 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
