import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeXml, num, safeId } from '../../src/svg/escape.js';
import { allGenreColours, contrastRatio, genreColour } from '../../src/svg/genre-colours.js';

describe('SVG escaping', () => {
  test('escapes the five XML specials in text and attributes', () => {
    assert.equal(escapeXml(`<script>alert("x") & 'y'</script>`), '&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;');
    assert.equal(escapeXml('Amélie (2001) — ½'), 'Amélie (2001) — ½', 'other characters stay as they are');
    assert.equal(escapeXml(42), '42');
  });

  test('drops characters XML 1.0 forbids, keeps tabs, newlines and whole surrogate pairs', () => {
    assert.equal(escapeXml('a\u0000b\u0008c\u001Fd\uFFFEe'), 'abcde');
    assert.equal(escapeXml('a\tb\nc\rd'), 'a\tb\nc\rd');
    assert.equal(escapeXml('🎬 film'), '🎬 film');
    assert.equal(escapeXml('lone \uD83C and \uDFAC'), 'lone  and ');
  });

  test('numbers for attributes: two decimals, no -0, no NaN', () => {
    assert.equal(num(1.23456), '1.23');
    assert.equal(num(-0.001), '0');
    assert.equal(num(Number.NaN), '0');
    assert.equal(num(Infinity), '0');
    assert.equal(num(120), '120');
  });

  test('ids keep letters, digits, - and _ and start with a letter', () => {
    assert.equal(safeId('chart-1'), 'chart-1');
    assert.equal(safeId('a b"c<'), 'a-b-c-');
    assert.equal(safeId('1st'), 'id-1st');
  });
});

describe('genre colours', () => {
  test('every colour has at least 4.5:1 contrast with white (white text on posters, lines on white charts)', () => {
    for (const colour of allGenreColours()) {
      assert.ok(contrastRatio(colour, '#ffffff') >= 4.5, `${colour}: ${contrastRatio(colour, '#ffffff').toFixed(2)}`);
    }
  });

  test('known genres have their colour, unknown ones a stable fallback, none the grey', () => {
    assert.equal(genreColour('Drama'), '#1a5fd0');
    assert.equal(genreColour('Space Opera'), genreColour('Space Opera'));
    assert.ok(allGenreColours().includes(genreColour('Space Opera')));
    assert.equal(genreColour(null), genreColour(undefined));
    assert.equal(contrastRatio('#000000', '#ffffff').toFixed(0), '21');
  });
});
