import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generatedPosterSvg, LAYOUTS, posterDesign } from '../../src/posters/generated-poster.js';
import { wrapText } from '../../src/posters/wrap-text.js';
import { contrastRatio, genreColour } from '../../src/svg/genre-colours.js';
import { hexToHsl } from '../../src/svg/hsl.js';
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
  test('shows the title, the year and the genres, as well-formed SVG', () => {
    const svg = generatedPosterSvg({ title: 'Toy Story', year: 1995, genres: ['Adventure', 'Animation', 'Children'] });
    assertWellFormedXml(svg, 'poster');
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 200 300"/);
    assert.match(svg, /<title>Toy Story \(1995\)<\/title>/);
    // The most telling genres, not the first alphabetically.
    assert.match(svg, />ANIMATION · CHILDREN</);
    assert.match(svg, />1995</);
    assert.deepEqual(tspans(svg), ['Toy Story']);
    assert.equal(generatedPosterSvg({ title: 'Toy Story', year: 1995, genres: ['Adventure', 'Animation', 'Children'] }), svg, 'the same movie, the same poster');
  });

  test('a smaller size rather than a word broken in two', () => {
    const lines = tspans(generatedPosterSvg({ title: 'Shawshank Redemption, The', year: 1994, genres: ['Crime'] }));
    assert.ok(lines.every((line) => !line.endsWith('-')), lines.join(' / '));
    assert.equal(lines.join(' '), 'SHAWSHANK REDEMPTION, THE', 'crime gets capitals');
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
    const size = Number(/<text font-family="[^"]*" font-size="(\d+)"/.exec(svg)![1]);
    assert.ok(size < 28, `size ${size}`);
  });

  test('movies of one genre do not look alike: the title picks the layout and moves the colours', () => {
    const animations = Array.from({ length: 40 }, (_, i) => posterDesign({ title: `Cartoon number ${i}`, year: 1990 + (i % 20), genres: ['Animation', 'Children', 'Comedy'] }));
    const layouts = new Set(animations.map((d) => d.layout));
    assert.equal(layouts.size, LAYOUTS.length, `layouts used: ${[...layouts].join(', ')}`);
    assert.ok(new Set(animations.map((d) => d.palette.base)).size >= 35, 'grounds differ');
    assert.ok(new Set(animations.map((d) => d.palette.mid)).size >= 35, 'middle tones differ');
  });

  test('the palette comes from all the genres, not the first one only', () => {
    const hueOf = (hex: string) => hexToHsl(hex).h;
    const distance = (a: number, b: number) => Math.min(Math.abs(a - b), 360 - Math.abs(a - b));
    const designs = Array.from({ length: 30 }, (_, i) => posterDesign({ title: `Film ${i}`, year: 2000, genres: ['Horror', 'Musical'] }));
    const horror = hueOf(genreColour('Horror'));
    const musical = hueOf(genreColour('Musical'));
    for (const d of designs) {
      const [ground, middle] = [hueOf(d.palette.base), hueOf(d.palette.mid)];
      // One genre gives the ground, the other the middle tones (each nudged at most 30° by the title).
      const asGiven = distance(ground, horror) <= 31 && distance(middle, musical) <= 31;
      const swapped = distance(ground, musical) <= 31 && distance(middle, horror) <= 31;
      assert.ok(asGiven || swapped, `ground ${ground}, middle ${middle}`);
    }
    const withOne = posterDesign({ title: 'Film 1', year: 2000, genres: ['Horror'] });
    assert.notEqual(withOne.palette.mid, designs[1].palette.mid, 'a second genre changes the picture');
  });

  test('the text is white on a scrim dark enough for it, whatever the palette', () => {
    for (let i = 0; i < 60; i++) {
      const movie = { title: `Title ${i}`, year: 1980, genres: [['Comedy'], ['Documentary', 'War'], ['Children', 'Musical'], []][i % 4] };
      const design = posterDesign(movie);
      assert.ok(contrastRatio('#ffffff', design.palette.deep) >= 7, `${design.palette.deep} behind white text`);
      const svg = generatedPosterSvg(movie);
      assert.match(svg, /<g fill="#ffffff"/);
      assert.match(svg, new RegExp(`<stop offset="[0-9.]+" stop-color="${design.palette.deep}" stop-opacity="0.9[0-9]*"/>`));
    }
  });
});
