import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createProgress, formatCount } from '../src/progress.js';

function recorder(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 80, write: (text: string) => writes.push(text) } };
}

test('off a terminal: one line per 10% step and a final line, not one per update', () => {
  const { writes, stream } = recorder(false);
  let clock = 0;
  const progress = createProgress({ label: 'ratings', total: 1_000, stream, now: () => clock });
  for (let done = 0; done <= 1_000; done++) {
    clock += 1;
    progress.update(done);
  }
  progress.finish();
  assert.equal(writes.length, 10, writes.join(''));
  assert.ok(writes.every((w) => w.endsWith('\n') && !w.includes('\r')));
  assert.match(writes[0], /^ratings +10% 100\/1000/);
  assert.match(writes[9], /100% 1000\/1000 .* done\n$/);
});

test('off a terminal, a slow job still reports every 30 s between steps', () => {
  const { writes, stream } = recorder(false);
  let clock = 0;
  const progress = createProgress({ label: 'load', total: 100, stream, now: () => clock });
  clock = 31_000;
  progress.update(1);
  clock = 40_000;
  progress.update(2);
  assert.equal(writes.length, 1);
  assert.match(writes[0], /load +1% 1\/100/);
});

test('on a terminal: redraws one line with \\r, at most every 100 ms', () => {
  const { writes, stream } = recorder(true);
  let clock = 0;
  const progress = createProgress({ label: 'gen', total: 10, unit: 'rows', stream, now: () => clock });
  progress.update(1);
  clock = 50;
  progress.update(2);
  clock = 150;
  progress.update(5);
  progress.finish();
  progress.finish();
  assert.equal(writes.length, 3);
  assert.ok(writes[0].startsWith('\r[###'));
  assert.match(writes[1], /^\r\[#{15}-{15}\] gen +50% 5\/10 rows/);
  assert.ok(writes.every((w) => w.length <= 80 + 8), 'fits the terminal width');
  // eslint-disable-next-line no-control-regex -- the line ends with the terminal's erase-to-end-of-line escape
  assert.match(writes[2], /done\x1b\[K\n$/);
});

test('formatCount keeps numbers short', () => {
  assert.deepEqual([formatCount(950), formatCount(12_345), formatCount(25_000_095), formatCount(2.5e9)], ['950', '12.3k', '25.00M', '2.50G']);
});
