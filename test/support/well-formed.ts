/**
 * A small well-formedness check for the SVG the app builds as strings (no XML parser in the dependencies): every
 * tag closes in order, attributes are quoted, and text holds no raw "<" or stray "&".
 */
import assert from 'node:assert/strict';

const TOKEN = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<|&(?!(?:amp|lt|gt|quot|#39|#\d+);)/g;

export function assertWellFormedXml(markup: string, name = 'markup'): void {
  const open: string[] = [];
  for (const match of markup.matchAll(TOKEN)) {
    const [whole, closing, tag, , selfClosing] = match;
    assert.notEqual(whole, '<', `${name}: a "<" that starts no tag at ${match.index}: ${markup.slice(match.index, match.index + 40)}`);
    assert.ok(!whole.startsWith('&'), `${name}: an unescaped "&" at ${match.index}: ${markup.slice(match.index, match.index + 40)}`);
    if (selfClosing) continue;
    if (closing) assert.equal(open.pop(), tag, `${name}: </${tag}> closes the wrong element at ${match.index}`);
    else open.push(tag);
  }
  assert.deepEqual(open, [], `${name}: elements left open`);
}
