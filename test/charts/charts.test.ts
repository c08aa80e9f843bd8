import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { barChart } from '../../src/charts/bar-chart.js';
import { columnChart } from '../../src/charts/column-chart.js';
import { formatTick } from '../../src/charts/format.js';
import { CHART_WIDTH } from '../../src/charts/frame.js';
import { lineChart } from '../../src/charts/line-chart.js';
import { logTicks, niceTicks } from '../../src/charts/scale.js';
import { scatterChart } from '../../src/charts/scatter-chart.js';
import { assertWellFormedXml } from '../support/well-formed.js';

const EVIL = '</title><script>alert(1)</script>&"\'';

/** The parts every chart must have: an image role named by its title and described by its desc. */
function assertAccessibleSvg(svg: string, id: string, title: string): void {
  assertWellFormedXml(svg, id);
  assert.match(svg, new RegExp(`^<svg class="chart" viewBox="0 0 ${CHART_WIDTH} [\\d.]+" [^>]*role="img"\\s+aria-labelledby="${id}-title" aria-describedby="${id}-desc"`));
  assert.ok(svg.includes(`<title id="${id}-title">${title}</title>`), 'title');
  assert.match(svg, new RegExp(`<desc id="${id}-desc">[^<]+</desc>`));
  assert.ok(!svg.includes('<script'), 'nothing unescaped');
  assert.ok(!svg.includes('style='), 'no inline style (the CSP forbids it)');
}

describe('scales', () => {
  test('nice ticks are round and cover the data', () => {
    assert.deepEqual(niceTicks(0, 26_818, 5), { ticks: [0, 5000, 10_000, 15_000, 20_000, 25_000, 30_000], min: 0, max: 30_000 });
    assert.deepEqual(niceTicks(3.31, 4.07, 5).ticks, [3.2, 3.4, 3.6, 3.8, 4, 4.2]);
    const one = niceTicks(12_345, 12_345, 5);
    assert.ok(one.min < 12_345 && one.max > 12_345, 'a single value sits inside its range');
    assert.deepEqual(niceTicks(Number.NaN, 1).ticks, [0, 1]);
  });

  test('log ticks are powers of ten around the data', () => {
    assert.deepEqual(logTicks(1, 329), { ticks: [1, 10, 100, 1000], min: 1, max: 1000 });
    assert.deepEqual(logTicks(1, 1).ticks, [1, 10]);
  });

  test('tick labels: compact for large numbers', () => {
    assert.equal(formatTick(25_000_000), '25M');
    assert.equal(formatTick(30_000), '30K');
    assert.equal(formatTick(5000), '5,000');
    assert.equal(formatTick(0.25), '0.25');
  });
});

describe('charts', () => {
  test('bar chart: one bar per row, labels and values escaped, bars in their colours', () => {
    const svg = barChart({
      id: 'bars',
      title: 'Ratings per genre',
      description: 'Drama first.',
      xLabel: 'Ratings',
      bars: [{ label: 'Drama', value: 400, colour: '#1a5fd0' }, { label: EVIL, value: 5 }],
    });
    assertAccessibleSvg(svg, 'bars', 'Ratings per genre');
    assert.equal((svg.match(/<rect /g) ?? []).length, 2);
    assert.ok(svg.includes('fill="#1a5fd0"'));
    assert.ok(svg.includes('>&lt;/title&gt;&lt;'), 'the label is escaped (and cut to fit)');
    assert.match(svg, />400</);
    assert.match(svg, />Ratings</);
  });

  test('bar chart with labels above the bars keeps long titles', () => {
    const svg = barChart({ id: 'top', title: 'Top', description: 'd', xLabel: 'Ratings', labels: 'above', bars: [{ label: 'Star Wars: Episode IV - A New Hope (1977)', value: 251 }] });
    assertAccessibleSvg(svg, 'top', 'Top');
    assert.ok(svg.includes('>Star Wars: Episode IV - A New Hope (1977)</text>'));
  });

  test('column chart: a column per category with its label under it', () => {
    const svg = columnChart({ id: 'cols', title: 'Stars', description: 'd', xLabel: 'Stars given', yLabel: 'Ratings', columns: [{ label: '0.5', value: 1 }, { label: '5', value: 10 }] });
    assertAccessibleSvg(svg, 'cols', 'Stars');
    assert.equal((svg.match(/<rect /g) ?? []).length, 2);
    assert.match(svg, /text-anchor="middle">0\.5</);
    assert.match(svg, /rotate\(-90\)">Ratings</);
  });

  test('line chart: a path per series, a break at a missing point, every point marked, a legend', () => {
    const svg = lineChart({
      id: 'lines',
      title: 'Lines',
      description: 'd',
      xLabel: 'Decade',
      yLabel: 'Stars',
      series: [
        { name: 'Drama', colour: '#1a5fd0', points: [{ x: 1990, y: 3.5 }, { x: 2000, y: null }, { x: 2010, y: 3.7 }, { x: 2020, y: 3.6 }] },
        { name: EVIL, colour: '#b3261e', points: [{ x: 1990, y: 3.2 }] },
      ],
    });
    assertAccessibleSvg(svg, 'lines', 'Lines');
    const drama = /<path d="([^"]+)" fill="none" stroke="#1a5fd0"/.exec(svg)![1];
    assert.equal((drama.match(/M/g) ?? []).length, 2, 'the line breaks at the missing decade');
    assert.equal((svg.match(/<circle /g) ?? []).length, 4);
    assert.match(svg, />Drama<\/text>/);
    assert.ok(svg.includes('stroke-dasharray'), 'the second series is dashed');
  });

  test('line chart with given ticks still spans every point', () => {
    const svg = lineChart({ id: 'l', title: 'L', description: 'd', xLabel: 'x', yLabel: 'y', xTicks: [1920, 1940], series: [{ name: 'a', colour: '#000000', points: [{ x: 1920, y: 1 }, { x: 1950, y: 2 }] }] });
    const xs = [...svg.matchAll(/<circle cx="([\d.]+)"/g)].map((m) => Number(m[1]));
    assert.ok(Math.max(...xs) <= CHART_WIDTH - 20 + 0.01, `a point beyond the plot: ${xs.join(',')}`);
  });

  test('line chart with given y ticks (log10 values labelled as powers of ten): every tick drawn, points inside', () => {
    const svg = lineChart({
      id: 'logy', title: 'Log y', description: 'd', xLabel: 'x', yLabel: 'seconds', yTicks: [-1, 0, 1, 2], formatY: (v) => String(10 ** v),
      series: [{ name: 'a', colour: '#000000', points: [{ x: 1, y: -0.5 }, { x: 2, y: 1.5 }] }],
    });
    assertAccessibleSvg(svg, 'logy', 'Log y');
    for (const label of ['0.1', '1', '10', '100']) assert.match(svg, new RegExp(`text-anchor="end">${label.replace('.', '\\.')}</text>`));
    const ys = [...svg.matchAll(/<circle cx="[\d.]+" cy="([\d.]+)"/g)].map((m) => Number(m[1]));
    assert.equal(ys.length, 2);
    for (const y of ys) assert.ok(y >= 10 && y <= 200, `a point outside the plot: ${y}`);
  });

  test('scatter chart on a log axis: a dot per point, inside the plot', () => {
    const svg = scatterChart({ id: 'dots', title: 'Dots', description: 'd', xLabel: 'n', yLabel: 'mean', logX: true, yDomain: [0, 5], points: [{ x: 1, y: 0.5 }, { x: 329, y: 4.2 }] });
    assertAccessibleSvg(svg, 'dots', 'Dots');
    const dots = [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
    assert.equal(dots.length, 2);
    for (const [x, y] of dots) assert.ok(x >= 0 && x <= CHART_WIDTH && y >= 0 && y <= 264, `${x},${y}`);
    assert.match(svg, />1,000</);
  });

  test('an empty chart is still well-formed', () => {
    assertWellFormedXml(lineChart({ id: 'e', title: 'E', description: 'd', xLabel: 'x', yLabel: 'y', series: [] }));
    assertWellFormedXml(barChart({ id: 'e', title: 'E', description: 'd', xLabel: 'x', bars: [] }));
  });
});
