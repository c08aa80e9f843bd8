import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { forEachLine, lastErrorOf, LineTail } from '../../src/pipeline/engines/process-lines.js';

test('lines split on LF, CRLF and bare CR (progress bars), across chunks, empty ones skipped', async () => {
  const stream = new PassThrough();
  const lines: string[] = [];
  forEachLine(stream, (line) => lines.push(line));
  stream.write('first\r\nsec');
  stream.write('ond\n\n[Stage 1:>   (0 + 2) / 2]\r[Stage 1:=> (1 + 1) / 2]\rlast without newline');
  stream.end();
  await new Promise((resolve) => stream.on('end', resolve));
  assert.deepEqual(lines, ['first', 'second', '[Stage 1:>   (0 + 2) / 2]', '[Stage 1:=> (1 + 1) / 2]', 'last without newline']);
});

test('the job\'s own "als_job:" line is the reason, the last one if several', () => {
  assert.equal(
    lastErrorOf(['WARN something', 'als_job: first', 'INFO more', 'als_job: picks.jsonl:3: movie 3 is picked twice', 'INFO shutdown hook']),
    'picks.jsonl:3: movie 3 is picked twice',
  );
});

test('without one, the last error-looking lines, else the last lines, else nothing', () => {
  assert.equal(
    lastErrorOf(['INFO a', 'Traceback (most recent call last):', '  File "x.py", line 1', 'ValueError: bad', 'INFO b']),
    'Traceback (most recent call last): | ValueError: bad',
  );
  assert.equal(lastErrorOf(['one', 'two', 'three', 'four']), 'two | three | four');
  assert.equal(lastErrorOf([]), null);
  assert.equal(lastErrorOf([`als_job: ${'x'.repeat(2000)}`])?.length, 1000);
});

test('a tail keeps the last lines only', () => {
  const tail = new LineTail(2);
  for (const line of ['a', 'b', 'c']) tail.push(line);
  assert.deepEqual(tail.lines(), ['b', 'c']);
});
