import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generatedPosterSvg } from '../../src/posters/generated-poster.js';
import { wrapText } from '../../src/posters/wrap-text.js';
import { genreColour } from '../../src/svg/genre-colours.js';
import { assertWellFormedXml } from '../support/well-formed.js';

const tspans = (svg: string) => [...svg.matchAll(/<tspan[^>]*>([^<]*)<\/tspan>/g)].map((m) => m[1]);

describe('word wrapping', () => {
  test('fills lines up to the width, breaking between words', () => {
    assert.deepEqual(wrapText('The Good, the Bad and the Ugly', { perLine: 12, maxLines: 5 }), {
      lines: ['The Good,', 'the Bad and', 'the Ugly'],
      cut: false,
      broken: false,
    });
  });

  test('breaks a word longer than a line with a hyphen', () => {
    assert.deepEqual(wrapText('Supercalifragilistic', { perLine: 8, maxLines: 5 }), { lines: ['Superca-', 'lifragi-', 'listic'], cut: false, broken: true });
  });

  test('cuts what does not fit with an ellipsis', () => {
    const { lines, cut } = wrapText('one two three four five six', { perLine: 5, maxLines: 2 });
    assert.equal(cut, true);
    assert.deepEqual(lines, ['one', 'two…']);
  });
});

describe('generated poster', () => {
  test('shows the title, the year and the first genre on its colour, as well-formed SVG', () => {
    const svg = generatedPosterSvg({ title: 'Toy Story', year: 1995, genres: ['Animation', 'Children'] });
    assertWellFormedXml(svg, 'poster');
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 200 300"/);
    assert.match(svg, /<title>Toy Story \(1995\)<\/title>/);
    assert.ok(svg.includes(`fill="${genreColour('Animation')}"`));
    assert.match(svg, />ANIMATION</);
    assert.match(svg, />1995</);
    assert.deepEqual(tspans(svg), ['Toy Story']);
  });

  test('a smaller size rather than a word broken in two', () => {
    const lines = tspans(generatedPosterSvg({ title: 'Shawshank Redemption, The', year: 1994, genres: ['Crime'] }));
    assert.deepEqual(lines, ['Shawshank', 'Redemption,', 'The']);
  });

  test('escapes the title everywhere it appears', () => {
    const svg = generatedPosterSvg({ title: '<script>alert("x")</script> & Friends', year: null, genres: ['(no genres listed)'] });
    assertWellFormedXml(svg, 'poster');
    assert.ok(!svg.includes('<script>'));
    assert.ok(svg.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;'));
    assert.ok(!/>\d{4}</.test(svg), 'no year line without a year');
    assert.ok(!svg.includes('NO GENRES'), 'the pseudo-genre is not shown');
  });

  test('a long title gets a smaller size and several lines, all of it shown when it fits', () => {
    const title = 'Dr. Strangelove or: How I Learned to Stop Worrying and Love the Bomb';
    const svg = generatedPosterSvg({ title, year: 1964, genres: ['Comedy', 'War'] });
    const lines = tspans(svg);
    assert.ok(lines.length >= 4, lines.join(' / '));
    assert.equal(lines.join(' ').replace(/- /g, ''), title);
    const size = Number(/<text font-size="(\d+)" font-weight="700">/.exec(svg)![1]);
    assert.ok(size < 28, `size ${size}`);
  });
});
